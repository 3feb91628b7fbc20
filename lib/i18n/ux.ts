import type { Dict } from "./types.ts";
/** Header navigation added in the usability pass: the "more" drop-down and the short labels it holds (components/Header.tsx). */
const dict: Dict = {
  id: {
    "nav.more": "Lainnya",
    "nav.psychologist.history": "Riwayat sesi",
    "nav.admin.transactions": "Transaksi",
    "nav.admin.finance": "Keuangan",
    "nav.admin.stats": "Statistik",
    "nav.admin.reviews": "Ulasan",
  },
  en: {
    "nav.more": "More",
    "nav.psychologist.history": "Session history",
    "nav.admin.transactions": "Transactions",
    "nav.admin.finance": "Finance",
    "nav.admin.stats": "Statistics",
    "nav.admin.reviews": "Reviews",
  },
};
export default dict;
