/**
 * Strings of CnBuddy, the FAQ chatbot: its replies per intent, the crisis
 * reply, topic suggestions, the page and the island (Indonesian first,
 * English second; same keys in both, a test checks). Replies never diagnose;
 * they point to professionals (docs/domain-rules.md "CnBuddy").
 */
import type { Dict } from "./types.ts";

const chatbot: Dict = {
  id: {
    "chatbot.title": "CnBuddy",
    "chatbot.subtitle":
      "Teman bicara untuk pertanyaan seputar kesehatan mental. Bukan diagnosis, bukan layanan darurat.",
    "chatbot.intro":
      "Halo, aku CnBuddy. Tanyakan apa saja tentang stres, cemas, suasana hati, tidur, merawat diri, cara memesan sesi, harga, privasi, atau skrining.",
    "chatbot.input.label": "Pesan untuk CnBuddy",
    "chatbot.input.placeholder": "Tulis pesanmu…",
    "chatbot.send": "Kirim",
    "chatbot.sending": "CnBuddy sedang mengetik…",
    "chatbot.you": "Kamu",
    "chatbot.bot": "CnBuddy",
    "chatbot.log": "Percakapan dengan CnBuddy",
    "chatbot.suggestions": "Topik yang bisa ditanyakan",
    "chatbot.intent": "Topik: {intent} · keyakinan {confidence}",
    "chatbot.disclaimer":
      "CnBuddy adalah program otomatis, bukan psikolog. Jawabannya informasi umum, bukan diagnosis. Pesan tidak disimpan.",
    "chatbot.error.network": "Pesan belum terkirim. Periksa koneksimu, lalu coba lagi.",
    "chatbot.error.too_long": "Terlalu panjang (maksimal 1.000 karakter).",
    "chatbot.error.generic": "CnBuddy sedang tidak bisa menjawab. Coba lagi sebentar lagi.",
    "chatbot.open": "Buka CnBuddy",
    "chatbot.card.title": "Tanya CnBuddy",
    "chatbot.card.body": "Pertanyaan singkat seputar stres, tidur, atau cara memesan sesi? CnBuddy siap menjawab.",

    "chatbot.intent.greeting": "sapaan",
    "chatbot.intent.mental_health": "kesehatan mental",
    "chatbot.intent.stress": "stres",
    "chatbot.intent.anxiety": "kecemasan",
    "chatbot.intent.depression": "suasana hati",
    "chatbot.intent.sleep": "tidur",
    "chatbot.intent.self_care": "merawat diri",
    "chatbot.intent.booking": "pemesanan",
    "chatbot.intent.pricing": "harga",
    "chatbot.intent.privacy": "privasi",
    "chatbot.intent.screening": "skrining",
    "chatbot.intent.thanks": "terima kasih",
    "chatbot.intent.goodbye": "pamit",
    "chatbot.intent.unknown": "tidak dikenali",
    "chatbot.intent.crisis": "krisis",

    "chatbot.reply.greeting":
      "Halo! Senang kamu mampir. Aku CnBuddy, bisa bantu menjawab pertanyaan seputar kesehatan mental, stres, tidur, atau cara bertemu psikolog. Mau mulai dari mana?",
    "chatbot.reply.mental_health":
      'Kesehatan mental adalah kondisi ketika kita bisa mengenali kemampuan diri, menghadapi tekanan hidup yang wajar, bekerja atau belajar dengan baik, dan terhubung dengan orang lain (definisi WHO). Semua orang punya kesehatan mental, sama seperti kesehatan fisik. Ke psikolog bukan berarti "gila": itu langkah wajar ketika perasaan atau pikiran mulai mengganggu hari-harimu selama lebih dari dua minggu.',
    "chatbot.reply.stress":
      "Kedengarannya kamu sedang menanggung banyak hal. Stres itu wajar, tapi jangan dibiarkan menumpuk. Coba: pecah tugas jadi langkah kecil, tulis mana yang paling penting hari ini, ambil jeda 5 menit tiap jam, bernapas pelan (tarik 4 hitungan, hembuskan 6), dan cerita ke orang yang kamu percaya. Kalau stres terus-menerus mengganggu tidur, makan, atau pekerjaan, bicara dengan psikolog bisa sangat membantu.",
    "chatbot.reply.anxiety":
      "Rasa cemas memang tidak enak, dan kamu tidak sendirian. Saat cemas datang, coba teknik 5-4-3-2-1: sebutkan 5 hal yang kamu lihat, 4 yang bisa kamu sentuh, 3 yang kamu dengar, 2 yang kamu cium, 1 yang kamu rasakan. Bernapas pelan dan kurangi kafein juga membantu. Kalau cemas atau serangan panik sering muncul dan menghalangi aktivitasmu, psikolog bisa membantumu mempelajari cara mengelolanya.",
    "chatbot.reply.depression":
      "Terima kasih sudah cerita. Perasaan sedih, hampa, atau tanpa semangat itu berat, dan wajar kalau kamu butuh bantuan. Coba lakukan satu hal kecil yang biasanya menyenangkan, keluar sebentar kena sinar matahari, dan hubungi orang yang kamu percaya. Kalau perasaan ini bertahan lebih dari dua minggu, itu tanda yang baik untuk bicara dengan psikolog. Aku tidak bisa mendiagnosis, tapi psikolog bisa membantumu memahami apa yang terjadi.",
    "chatbot.reply.sleep":
      "Tidur yang kurang memengaruhi suasana hati. Beberapa kebiasaan yang membantu: tidur dan bangun di jam yang sama setiap hari, jauhkan layar 30–60 menit sebelum tidur, hindari kafein setelah sore, buat kamar gelap dan sejuk, dan kalau tidak bisa tidur setelah 20 menit, bangun sebentar lalu coba lagi. Kalau susah tidur berlangsung berminggu-minggu, bicarakan dengan dokter atau psikolog.",
    "chatbot.reply.self_care":
      "Merawat diri itu bukan egois. Ide sederhana: tidur cukup, makan teratur, bergerak 20–30 menit sehari, latihan napas (tarik 4 hitungan, tahan 4, hembuskan 6), menulis jurnal, batasi media sosial, dan luangkan waktu dengan orang yang membuatmu nyaman. Pilih satu yang paling mudah untuk dicoba hari ini.",
    "chatbot.reply.booking":
      "Untuk bertemu psikolog: buka direktori psikolog, pilih psikolog dan layanannya (online atau tatap muka), pilih jadwal yang kosong, lalu bayar dalam batas waktu pembayaran. Setelah dibayar, psikolog mengonfirmasi sesimu. Kamu perlu masuk sebagai klien untuk memesan.",
    "chatbot.reply.pricing":
      "Harga sesi di RuangPulih saat ini mulai dari {min} sampai {max}, tergantung psikolog, jenis layanan, dan durasinya. Harga pasti tiap layanan tertera di profil psikolog sebelum kamu membayar.",
    "chatbot.reply.pricing_none":
      "Saat ini belum ada psikolog dengan layanan yang tercantum, jadi aku belum bisa menyebutkan harga. Coba lihat direktori psikolog lagi nanti.",
    "chatbot.reply.privacy":
      "Privasimu penting. Apa yang kamu ceritakan dalam sesi hanya untuk kamu dan psikologmu: psikolog terikat kode etik untuk menjaga kerahasiaan, kecuali ada bahaya serius bagi keselamatanmu atau orang lain. Data akunmu dipakai hanya untuk menjalankan pemesanan dan pembayaranmu. Pesan ke CnBuddy tidak disimpan.",
    "chatbot.reply.screening":
      "Skrining emosi di RuangPulih: kamu melihat 14 gambar selama beberapa menit sementara kamera mengenali ekspresi wajahmu langsung di perangkatmu (gambar dan video tidak pernah dikirim, hanya jumlah hitungannya). Hasilnya alat bantu, bukan diagnosis: hanya psikolog atau dokter yang bisa mendiagnosis. Masuk sebagai klien lalu buka menu Skrining untuk mencobanya, dan bicarakan hasilnya dengan psikolog.",
    "chatbot.reply.thanks": "Sama-sama! Senang bisa membantu. Jaga dirimu baik-baik, ya.",
    "chatbot.reply.goodbye":
      "Sampai jumpa! Kalau butuh teman bicara lagi, aku ada di sini. Dan kalau keadaan terasa berat, bantuan selalu tersedia di halaman Bantuan.",
    "chatbot.reply.unknown":
      "Maaf, aku belum mengerti maksudmu. Aku bisa menjawab pertanyaan tentang kesehatan mental, stres, cemas, suasana hati, tidur, merawat diri, cara memesan sesi, harga, privasi, dan skrining. Coba salah satu topik di bawah.",
    "chatbot.reply.crisis":
      "Terima kasih sudah mau bercerita. Kedengarannya kamu sedang sangat kesakitan, dan keselamatanmu yang paling penting sekarang. Kamu tidak harus menghadapinya sendirian. Kalau kamu dalam bahaya atau mungkin menyakiti dirimu, hubungi 119 sekarang. Kamu juga bisa bicara dengan layanan kesehatan jiwa Kemenkes di 119 ext 8 (jam kerja), membuka healing119.id, atau bicara dengan psikolog kami.",

    "chatbot.crisis.title": "Kamu tidak sendirian. Bantuan ada sekarang.",
    "chatbot.crisis.call119": "Darurat: telepon 119",
    "chatbot.crisis.kemenkes": "Kemenkes 119 ext 8 (jam kerja)",
    "chatbot.crisis.healing": "healing119.id",
    "chatbot.crisis.psychologist": "Bicara dengan psikolog sekarang",
    "chatbot.crisis.stays": "Panel ini tetap ada selama percakapan ini.",
    "chatbot.crisis.bar119": "Telepon 119",
    "chatbot.crisis.bar_psychologist": "Psikolog sekarang",

    "chatbot.action.booking": "Cari psikolog",
    "chatbot.action.screening": "Mulai skrining",
    "chatbot.action.help": "Bantuan sekarang",

    "chatbot.suggest.mental_health": "Apa itu kesehatan mental?",
    "chatbot.suggest.stress": "Aku stres sama kerjaan",
    "chatbot.suggest.anxiety": "Gimana cara ngatasin cemas?",
    "chatbot.suggest.depression": "Aku sedih terus",
    "chatbot.suggest.sleep": "Aku susah tidur",
    "chatbot.suggest.self_care": "Tips merawat diri",
    "chatbot.suggest.booking": "Gimana cara booking psikolog?",
    "chatbot.suggest.pricing": "Berapa biaya konseling?",
    "chatbot.suggest.privacy": "Data aku aman gak?",
    "chatbot.suggest.screening": "Skrining itu apa?",
  },
  en: {
    "chatbot.title": "CnBuddy",
    "chatbot.subtitle": "Someone to talk to about mental health questions. Not a diagnosis, not an emergency service.",
    "chatbot.intro":
      "Hi, I'm CnBuddy. Ask me anything about stress, anxiety, low mood, sleep, self-care, how to book a session, prices, privacy or screening.",
    "chatbot.input.label": "Message to CnBuddy",
    "chatbot.input.placeholder": "Type your message…",
    "chatbot.send": "Send",
    "chatbot.sending": "CnBuddy is typing…",
    "chatbot.you": "You",
    "chatbot.bot": "CnBuddy",
    "chatbot.log": "Conversation with CnBuddy",
    "chatbot.suggestions": "Topics you can ask about",
    "chatbot.intent": "Topic: {intent} · confidence {confidence}",
    "chatbot.disclaimer":
      "CnBuddy is an automated program, not a psychologist. Its answers are general information, not a diagnosis. Messages are not stored.",
    "chatbot.error.network": "Your message was not sent. Check your connection and try again.",
    "chatbot.error.too_long": "Too long (at most 1,000 characters).",
    "chatbot.error.generic": "CnBuddy cannot answer right now. Please try again in a moment.",
    "chatbot.open": "Open CnBuddy",
    "chatbot.card.title": "Ask CnBuddy",
    "chatbot.card.body": "A quick question about stress, sleep or how to book a session? CnBuddy can answer.",

    "chatbot.intent.greeting": "greeting",
    "chatbot.intent.mental_health": "mental health",
    "chatbot.intent.stress": "stress",
    "chatbot.intent.anxiety": "anxiety",
    "chatbot.intent.depression": "low mood",
    "chatbot.intent.sleep": "sleep",
    "chatbot.intent.self_care": "self-care",
    "chatbot.intent.booking": "booking",
    "chatbot.intent.pricing": "prices",
    "chatbot.intent.privacy": "privacy",
    "chatbot.intent.screening": "screening",
    "chatbot.intent.thanks": "thanks",
    "chatbot.intent.goodbye": "goodbye",
    "chatbot.intent.unknown": "not recognised",
    "chatbot.intent.crisis": "crisis",

    "chatbot.reply.greeting":
      "Hi! Glad you stopped by. I'm CnBuddy: I can answer questions about mental health, stress, sleep or how to see a psychologist. Where would you like to start?",
    "chatbot.reply.mental_health":
      'Mental health is a state in which you can realise your abilities, cope with the normal stresses of life, work or study well, and connect with others (WHO\'s definition). Everyone has mental health, just like physical health. Seeing a psychologist does not mean you are "crazy": it is a sensible step when feelings or thoughts have been getting in the way of your days for more than two weeks.',
    "chatbot.reply.stress":
      "It sounds like you are carrying a lot. Stress is normal, but don't let it pile up. Try: break tasks into small steps, write down what matters most today, take a 5-minute break every hour, breathe slowly (in for 4, out for 6), and talk to someone you trust. If stress keeps disturbing your sleep, eating or work, talking to a psychologist can really help.",
    "chatbot.reply.anxiety":
      "Anxiety feels awful, and you are not alone. When it comes, try the 5-4-3-2-1 technique: name 5 things you see, 4 you can touch, 3 you hear, 2 you smell, 1 you taste. Slow breathing and less caffeine help too. If anxiety or panic attacks come often and stop you from doing things, a psychologist can help you learn to manage them.",
    "chatbot.reply.depression":
      "Thank you for telling me. Feeling sad, empty or without energy is hard, and it's okay to need help. Try one small thing you usually enjoy, get a little sunlight, and reach out to someone you trust. If these feelings last more than two weeks, that's a good reason to talk to a psychologist. I can't diagnose, but a psychologist can help you understand what is going on.",
    "chatbot.reply.sleep":
      "Poor sleep affects your mood. Habits that help: go to bed and get up at the same time every day, put screens away 30–60 minutes before bed, avoid caffeine after the afternoon, keep the room dark and cool, and if you can't sleep after 20 minutes, get up for a while and try again. If sleeping badly goes on for weeks, talk to a doctor or psychologist.",
    "chatbot.reply.self_care":
      "Looking after yourself isn't selfish. Simple ideas: enough sleep, regular meals, 20–30 minutes of movement a day, breathing exercises (in for 4, hold 4, out for 6), journaling, less social media, and time with people who make you feel at ease. Pick the easiest one to try today.",
    "chatbot.reply.booking":
      "To see a psychologist: open the psychologist directory, choose a psychologist and a service (online or in person), pick a free time, and pay within the payment window. Once paid, the psychologist confirms your session. You need to be signed in as a client to book.",
    "chatbot.reply.pricing":
      "Sessions at RuangPulih currently cost from {min} to {max}, depending on the psychologist, the kind of service and its length. Each service's exact price is shown on the psychologist's profile before you pay.",
    "chatbot.reply.pricing_none":
      "No psychologist lists a service yet, so I can't quote a price. Please look at the psychologist directory again later.",
    "chatbot.reply.privacy":
      "Your privacy matters. What you share in a session is between you and your psychologist: psychologists are bound by their code of ethics to keep it confidential, except when there is a serious danger to your safety or someone else's. Your account data is used only to run your bookings and payments. Messages to CnBuddy are not stored.",
    "chatbot.reply.screening":
      "Emotion screening in RuangPulih: you look at 14 pictures for a few minutes while the camera recognises your facial expressions on your own device (no picture or video is ever sent, only the counts). The result is an aid, not a diagnosis: only a psychologist or doctor can diagnose. Sign in as a client and open Screening in the menu to try it, and talk the result over with a psychologist.",
    "chatbot.reply.thanks": "You're welcome! Glad I could help. Take good care of yourself.",
    "chatbot.reply.goodbye":
      "Goodbye! If you want someone to talk to again, I'm here. And if things feel heavy, help is always on the Help page.",
    "chatbot.reply.unknown":
      "Sorry, I didn't understand that. I can answer questions about mental health, stress, anxiety, low mood, sleep, self-care, how to book a session, prices, privacy and screening. Try one of the topics below.",
    "chatbot.reply.crisis":
      "Thank you for telling me. It sounds like you are in a lot of pain, and your safety matters most right now. You don't have to face this alone. If you are in danger or might hurt yourself, call 119 now. You can also talk to the Ministry of Health's mental health line at 119 ext 8 (office hours), open healing119.id, or talk to one of our psychologists.",

    "chatbot.crisis.title": "You are not alone. Help is available now.",
    "chatbot.crisis.call119": "Emergency: call 119",
    "chatbot.crisis.kemenkes": "Ministry of Health 119 ext 8 (office hours)",
    "chatbot.crisis.healing": "healing119.id",
    "chatbot.crisis.psychologist": "Talk to a psychologist now",
    "chatbot.crisis.stays": "This panel stays for the rest of this conversation.",
    "chatbot.crisis.bar119": "Call 119",
    "chatbot.crisis.bar_psychologist": "Psychologist now",

    "chatbot.action.booking": "Find a psychologist",
    "chatbot.action.screening": "Start the screening",
    "chatbot.action.help": "Help now",

    "chatbot.suggest.mental_health": "What is mental health?",
    "chatbot.suggest.stress": "Work is stressing me out",
    "chatbot.suggest.anxiety": "How do I calm my anxiety?",
    "chatbot.suggest.depression": "I feel sad all the time",
    "chatbot.suggest.sleep": "I can't sleep",
    "chatbot.suggest.self_care": "Self-care tips",
    "chatbot.suggest.booking": "How do I book a psychologist?",
    "chatbot.suggest.pricing": "How much does counselling cost?",
    "chatbot.suggest.privacy": "Is my data safe?",
    "chatbot.suggest.screening": "What is screening?",
  },
};

export default chatbot;
