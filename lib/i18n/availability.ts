import type { Dict } from "./types.ts";
/** Availability: the settings form and its errors, the slot lists. */
const dict: Dict = {
  id: {
    "avail.error.time": "Jam tidak valid (format JJ:MM, kelipatan 5 menit).",
    "avail.error.range_order": "Jam selesai harus setelah jam mulai.",
    "avail.error.overlap": "Rentang jam ini bertumpuk dengan rentang lain pada hari yang sama.",
    "avail.error.too_many_ranges": "Paling banyak 8 rentang jam per hari.",
    "avail.error.too_many_overrides": "Paling banyak 120 tanggal khusus.",
    "avail.error.override_date": "Tanggal khusus harus antara kemarin dan 365 hari ke depan.",
    "avail.error.time_zone": "Zona waktu tidak dikenal (contoh: Asia/Jakarta).",
    "avail.error.buffer": "Jeda harus 0–120 menit, kelipatan 5.",
    "avail.error.notice": "Pemberitahuan minimum harus 0–20.160 menit (14 hari), kelipatan 5.",
    "avail.error.horizon": "Batas pemesanan harus 1–365 hari.",
    "avail.error.interval": "Jarak antar-slot harus 5–240 menit, kelipatan 5, atau kosong.",
    "avail.error.span": 'Rentang waktu paling panjang 62 hari, dan "sampai" harus setelah "dari".',
    "avail.error.service": "Layanan tidak ditemukan pada psikolog ini.",
    "avail.not_bookable": "Psikolog ini tidak ditemukan atau belum dapat dipesan.",
  },
  en: {
    "avail.error.time": "Invalid time (HH:MM, on a 5-minute step).",
    "avail.error.range_order": "The end time must be after the start time.",
    "avail.error.overlap": "This range overlaps another range on the same day.",
    "avail.error.too_many_ranges": "At most 8 ranges a day.",
    "avail.error.too_many_overrides": "At most 120 special dates.",
    "avail.error.override_date": "A special date must lie between yesterday and 365 days ahead.",
    "avail.error.time_zone": "Unknown time zone (for example Asia/Jakarta).",
    "avail.error.buffer": "A buffer must be 0–120 minutes, in steps of 5.",
    "avail.error.notice": "Minimum notice must be 0–20,160 minutes (14 days), in steps of 5.",
    "avail.error.horizon": "The booking horizon must be 1–365 days.",
    "avail.error.interval": "The slot interval must be 5–240 minutes in steps of 5, or empty.",
    "avail.error.span": 'The time span may be at most 62 days, and "to" must be after "from".',
    "avail.error.service": "This psychologist has no such service.",
    "avail.not_bookable": "This psychologist was not found or cannot be booked yet.",
  },
};
export default dict;
