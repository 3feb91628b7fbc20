import type { Dict } from "./types.ts";
/** Articles: reader pages, the admin editor, the file store's upload errors. */
const dict: Dict = {
  id: {
    "articles.not_found": "Artikel tidak ditemukan.",
    "articles.slug_invalid": "Slug hanya boleh huruf kecil, angka, dan tanda hubung.",
    "articles.slug_taken": "Slug ini sudah dipakai artikel lain.",
    "articles.tag_invalid": "Tag harus berisi huruf atau angka.",
    "articles.too_many_tags": "Paling banyak 8 tag.",
    "articles.cover_alt_required": "Teks alternatif gambar sampul wajib diisi.",
    "articles.cover_invalid": "Gambar sampul tidak ditemukan.",
    "articles.changed": "Artikel baru saja diubah orang lain. Muat ulang lalu coba lagi.",
  },
  en: {
    "articles.not_found": "Article not found.",
    "articles.slug_invalid": "The slug may contain only lower-case letters, digits and hyphens.",
    "articles.slug_taken": "This slug is already used by another article.",
    "articles.tag_invalid": "A tag must contain letters or digits.",
    "articles.too_many_tags": "At most 8 tags.",
    "articles.cover_alt_required": "Alt text for the cover image is required.",
    "articles.cover_invalid": "The cover image was not found.",
    "articles.changed": "Someone else just changed this article. Reload and try again.",
  },
};
export default dict;
