import type { Dict } from "./types.ts";
/**
 * The screening's stimulus pictures and mapping table: the admin page `/admin/screening`, its errors
 * and audit actions (docs/domain-rules.md "Screening stimuli and mapping").
 */
const dict: Dict = {
  id: {
    "screening.stimuli.active_count": "Harus ada tepat {count} gambar aktif, satu per tema (sekarang {active}).",
    "screening.stimuli.theme_twice": "Tema ini sudah punya gambar aktif lain.",
    "screening.stimuli.order_taken": "Urutan ini sudah dipakai gambar lain.",
    "screening.stimuli.items_mismatch":
      "Daftar gambar tidak sesuai dengan versi yang sedang berlaku. Muat ulang halaman.",
    "screening.stimuli.too_many": "Set gambar sudah penuh (paling banyak 40 gambar).",
    "screening.stimuli.stale_version":
      "Orang lain baru saja menyimpan versi baru. Muat ulang halaman lalu ulangi perubahan Anda.",
    "admin.audit.action.screening.stimuli.save": "Set gambar skrining diubah",
    "admin.audit.action.screening.stimuli.upload": "Gambar skrining diunggah",
    "admin.audit.action.screening.mapping.save": "Tabel pemetaan skrining diubah",
    "admin.audit.target.screening_set": "Set gambar skrining (versi)",
    "admin.audit.target.screening_mapping": "Tabel pemetaan (versi)",
  },
  en: {
    "screening.stimuli.active_count": "There must be exactly {count} active pictures, one per theme (now {active}).",
    "screening.stimuli.theme_twice": "This theme already has another active picture.",
    "screening.stimuli.order_taken": "Another picture already has this position.",
    "screening.stimuli.items_mismatch": "The pictures do not match the current version. Reload the page.",
    "screening.stimuli.too_many": "The picture set is full (at most 40 pictures).",
    "screening.stimuli.stale_version":
      "Someone else has just saved a new version. Reload the page and make your change again.",
    "admin.audit.action.screening.stimuli.save": "Screening picture set changed",
    "admin.audit.action.screening.stimuli.upload": "Screening picture uploaded",
    "admin.audit.action.screening.mapping.save": "Screening mapping table changed",
    "admin.audit.target.screening_set": "Screening picture set (version)",
    "admin.audit.target.screening_mapping": "Mapping table (version)",
  },
};
export default dict;
