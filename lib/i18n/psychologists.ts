/**
 * Strings of the psychologists capability: profiles, the application and its
 * verification, the admin pages, the directory and the profile page
 * (Indonesian first, English second; same keys in both, a test checks).
 */
import type { Dict } from "./types.ts";

const psychologists: Dict = {
  id: {
    "psy.category.anxiety": "Kecemasan",
    "psy.category.depression": "Depresi",
    "psy.category.stress": "Stres",
    "psy.category.relationships": "Hubungan",
    "psy.category.family": "Keluarga",
    "psy.category.career": "Karier",
    "psy.category.trauma": "Trauma",
    "psy.category.self_esteem": "Harga diri",
    "psy.category.addiction": "Adiksi",

    "psy.service.chat": "Chat",
    "psy.service.video": "Panggilan video",
    "psy.service.in_person": "Tatap muka",

    "psy.error.duration": "Durasi 15–240 menit, kelipatan 5 menit.",
    "psy.error.price": "Harga Rp10.000–Rp50.000.000, dalam rupiah bulat.",
    "psy.error.licence": "Nomor SIPP/STR 3–60 karakter: huruf, angka, spasi, titik, garis miring, tanda hubung.",
    "psy.error.language": "Kode bahasa 2–3 huruf, misalnya id, en, jv.",
    "psy.error.languages": "Isi paling sedikit satu bahasa.",
    "psy.error.categories": "Pilih paling sedikit satu bidang keahlian.",
    "psy.error.too_many": "Terlalu banyak baris.",
    "psy.error.too_many_services": "Paling banyak 6 layanan.",
    "psy.error.not_found": "Psikolog tidak ditemukan.",
    "psy.error.profile_exists": "Profil psikolog ini sudah ada.",
  },
  en: {
    "psy.category.anxiety": "Anxiety",
    "psy.category.depression": "Depression",
    "psy.category.stress": "Stress",
    "psy.category.relationships": "Relationships",
    "psy.category.family": "Family",
    "psy.category.career": "Career",
    "psy.category.trauma": "Trauma",
    "psy.category.self_esteem": "Self-esteem",
    "psy.category.addiction": "Addiction",

    "psy.service.chat": "Chat",
    "psy.service.video": "Video call",
    "psy.service.in_person": "In person",

    "psy.error.duration": "Duration 15–240 minutes, in steps of 5 minutes.",
    "psy.error.price": "Price Rp10,000–Rp50,000,000, in whole rupiah.",
    "psy.error.licence": "SIPP/STR number of 3–60 characters: letters, digits, spaces, dots, slashes, hyphens.",
    "psy.error.language": "A 2–3 letter language code, e.g. id, en, jv.",
    "psy.error.languages": "Give at least one language.",
    "psy.error.categories": "Choose at least one area of expertise.",
    "psy.error.too_many": "Too many lines.",
    "psy.error.too_many_services": "At most 6 services.",
    "psy.error.not_found": "Psychologist not found.",
    "psy.error.profile_exists": "This psychologist already has a profile.",
  },
};

export default psychologists;
