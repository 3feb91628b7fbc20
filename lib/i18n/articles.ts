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
    "files.empty": "Berkas kosong.",
    "files.type_not_allowed": "Jenis berkas tidak diizinkan. Gunakan gambar PNG, JPEG, atau WebP.",
    "files.too_big": "Berkas terlalu besar (paling besar {max} MB).",
    "files.dimensions": "Gambar terlalu besar (paling besar {max} piksel per sisi).",
    "files.not_found": "Berkas tidak ditemukan.",
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
    "files.empty": "The file is empty.",
    "files.type_not_allowed": "This file type is not allowed. Use a PNG, JPEG or WebP image.",
    "files.too_big": "The file is too big (at most {max} MB).",
    "files.dimensions": "The image is too large (at most {max} pixels a side).",
    "files.not_found": "File not found.",
  },
};
export default dict;
