/**
 * Strings of the public home page, the help page and the footer every page
 * renders (Indonesian first, English second; same keys in both, a test checks).
 */
import type { Dict } from "./types.ts";

const home: Dict = {
  id: {
    "footer.need_help": "Butuh bantuan sekarang?",
    "footer.crisis_line":
      "Dalam keadaan darurat hubungi 119. Layanan kesehatan jiwa Kemenkes: healing119.id atau 119 ext 8.",
    "footer.help_link_label": "Butuh bantuan sekarang? Lihat halaman bantuan krisis",

    "help.title": "Bantuan sekarang",
    "help.intro":
      "Jika Anda atau orang di dekat Anda berada dalam bahaya atau berpikir untuk menyakiti diri, jangan menunggu. Hubungi salah satu layanan di bawah ini.",
    "help.emergency.title": "Darurat: 119",
    "help.emergency.body":
      "Nomor darurat nasional, 24 jam. Telepon 119 bila ada bahaya langsung bagi keselamatan jiwa.",
    "help.emergency.call": "Telepon 119",
    "help.kemenkes.title": "Kemenkes: 119 ext 8",
    "help.kemenkes.body":
      "Layanan konseling kesehatan jiwa Kementerian Kesehatan. Telepon 119 lalu tekan 8 (jam kerja).",
    "help.healing.title": "healing119.id",
    "help.healing.body":
      "Situs resmi layanan kesehatan jiwa Kemenkes: informasi, pertolongan pertama psikologis, dan cara mendapatkan bantuan.",
    "help.healing.open": "Buka healing119.id",
    "help.centre.title": "Psikolog di pusat layanan kami",
    "help.centre.body":
      "Untuk konseling yang bukan darurat, hubungi meja depan pusat layanan kami atau masuk sebagai klien. Anda juga dapat mencari psikolog di direktori dan memesan sesi, atau bertanya kepada CnBuddy.",
    "help.centre.signin": "Masuk sebagai klien",
    "help.centre.register": "Daftar",
    "help.centre.booking": "Pesan sesi dengan psikolog",
    "help.centre.chatbot": "CnBuddy, teman bicara",
    "help.disclaimer":
      "RuangPulih bukan layanan darurat. Hasil skrining dan percakapan dengan CnBuddy bukan diagnosis.",

    "landing.offer.title": "Yang ditawarkan pusat layanan kami",
    "landing.offer.live": "Tersedia",
    "landing.offer.psychologists.title": "Temukan psikolog",
    "landing.offer.psychologists.body": "Cari psikolog terverifikasi dan pesan sesi tatap muka atau daring.",
    "landing.offer.psychologists.open": "Lihat direktori psikolog",
    "landing.offer.chat.title": "Obrolan langsung",
    "landing.offer.chat.body": "Mengobrol dengan psikolog Anda sebelum dan sesudah sesi.",
    "landing.offer.chatbot.title": "CnBuddy",
    "landing.offer.chatbot.body":
      "Teman bicara otomatis untuk stres, tidur, dan kecemasan, yang mengarahkan Anda ke bantuan manusia bila perlu.",
    "landing.offer.guestbook.body":
      "Untuk sekolah: guru mendaftarkan tamu, tamu menunjukkan kode QR, guru langsung diberi tahu.",
    "landing.cta.title": "Mulai sekarang",
    "landing.cta.body": "Buat akun klien gratis, atau masuk bila sudah punya akun.",
    "landing.articles.title": "Artikel terbaru",
    "landing.articles.all": "Lihat semua artikel",
    "landing.articles.none": "Belum ada artikel.",
    "client.articles.title": "Bacaan untuk Anda",

    "article.reading_minutes": "{n} menit baca",
  },
  en: {
    "footer.need_help": "Need help now?",
    "footer.crisis_line":
      "In an emergency call 119. Ministry of Health mental health service: healing119.id or 119 ext 8.",
    "footer.help_link_label": "Need help now? Open the crisis help page",

    "help.title": "Help now",
    "help.intro":
      "If you or someone near you is in danger or thinking about self-harm, do not wait. Contact one of the services below.",
    "help.emergency.title": "Emergency: 119",
    "help.emergency.body": "The national emergency number, 24 hours. Call 119 when a life is in immediate danger.",
    "help.emergency.call": "Call 119",
    "help.kemenkes.title": "Ministry of Health: 119 ext 8",
    "help.kemenkes.body":
      "The Ministry of Health's mental health counselling line. Call 119, then press 8 (office hours).",
    "help.healing.title": "healing119.id",
    "help.healing.body":
      "The Ministry of Health's official mental health site: information, psychological first aid and how to get help.",
    "help.healing.open": "Open healing119.id",
    "help.centre.title": "Psychologists at our centre",
    "help.centre.body":
      "For counselling that is not an emergency, contact our centre's front desk or sign in as a client. You can also find a psychologist in the directory and book a session, or ask CnBuddy.",
    "help.centre.signin": "Sign in as a client",
    "help.centre.register": "Register",
    "help.centre.booking": "Book a session with a psychologist",
    "help.centre.chatbot": "CnBuddy, someone to talk to",
    "help.disclaimer":
      "RuangPulih is not an emergency service. Screening results and conversations with CnBuddy are not a diagnosis.",

    "landing.offer.title": "What our centre offers",
    "landing.offer.live": "Available",
    "landing.offer.psychologists.title": "Find a psychologist",
    "landing.offer.psychologists.body": "Search verified psychologists and book an in-person or online session.",
    "landing.offer.psychologists.open": "Browse psychologists",
    "landing.offer.chat.title": "Live chat",
    "landing.offer.chat.body": "Chat with your psychologist before and after a session.",
    "landing.offer.chatbot.title": "CnBuddy",
    "landing.offer.chatbot.body":
      "An automated companion for stress, sleep and anxiety that points you to human help when needed.",
    "landing.offer.guestbook.body":
      "For schools: teachers pre-register guests, guests show a QR code, teachers are notified at once.",
    "landing.cta.title": "Get started",
    "landing.cta.body": "Create a free client account, or sign in if you already have one.",
    "landing.articles.title": "Latest articles",
    "landing.articles.all": "See all articles",
    "landing.articles.none": "No articles yet.",
    "client.articles.title": "Reading for you",

    "article.reading_minutes": "{n} min read",
  },
};

export default home;
