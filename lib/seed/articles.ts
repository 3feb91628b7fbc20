/**
 * Demo articles (`deno task seed`): eight topics of the centre's chatbot —
 * what mental health is, stress, sleep, anxiety, low mood, self-care, how the
 * screening works, privacy — each in Indonesian and English (16 articles),
 * published over the past weeks, with covers drawn here (`pngjs`, no
 * downloads) and stored through the file store.
 *
 * Needs the admin of `seedAccounts()` (`admin@demo.test`). Idempotent: an
 * article whose slug exists is left alone (the same cover content is the same
 * file, `lib/files/store.ts`).
 */
import { PNG } from "pngjs";
import { getUserByEmail } from "@/lib/auth/users.ts";
import { createArticle, getArticleBySlug } from "@/lib/articles/store.ts";
import { saveFile } from "@/lib/files/store.ts";

/** One topic: its cover colours and the article in both languages. */
interface Topic {
  key: string;
  /** Two RGB colours of the cover's gradient and a third for its shapes. */
  colors: [[number, number, number], [number, number, number], [number, number, number]];
  tags: string[];
  id: { slug: string; title: string; alt: string; body: string };
  en: { slug: string; title: string; alt: string; body: string };
}

const NOT_DIAGNOSIS_ID =
  "_Artikel ini untuk edukasi dan bukan diagnosis. Jika Anda merasa dalam bahaya, hubungi **119** atau kunjungi [healing119.id](https://healing119.id)._";
const NOT_DIAGNOSIS_EN =
  "_This article is for education and is not a diagnosis. If you feel in danger, call **119** or visit [healing119.id](https://healing119.id)._";

/** The eight topics (texts written for this project). */
export const SEED_TOPICS: readonly Topic[] = [
  {
    key: "mental-health",
    colors: [[47, 125, 109], [163, 214, 196], [255, 255, 255]],
    tags: ["kesehatan-mental", "dasar"],
    id: {
      slug: "apa-itu-kesehatan-mental",
      title: "Apa itu kesehatan mental?",
      alt: "Ilustrasi lingkaran-lingkaran lembut berwarna hijau",
      body:
        `Kesehatan mental adalah keadaan ketika kita bisa mengenali kemampuan diri, menghadapi tekanan hidup sehari-hari, bekerja atau belajar dengan baik, dan ikut berperan di lingkungan kita. Kesehatan mental bukan sekadar "tidak punya gangguan".

## Seperti kesehatan fisik

Kesehatan mental naik turun. Ada hari ketika kita merasa kuat, ada hari ketika hal kecil terasa berat. Itu wajar. Yang penting adalah menyadari perubahan dan tahu kapan perlu bantuan.

## Tanda-tanda perlu perhatian

- Sulit tidur atau tidur berlebihan selama berminggu-minggu
- Kehilangan minat pada hal yang biasanya disukai
- Sulit berkonsentrasi atau mudah marah
- Menarik diri dari teman dan keluarga

Berbicara dengan orang yang dipercaya atau dengan psikolog adalah langkah yang berani, bukan tanda lemah.

${NOT_DIAGNOSIS_ID}`,
    },
    en: {
      slug: "what-is-mental-health",
      title: "What is mental health?",
      alt: "Illustration of soft green circles",
      body:
        `Mental health is the state in which we can recognise our own abilities, cope with the everyday pressures of life, work or study well, and take part in our community. It is more than "not having a disorder".

## Just like physical health

Mental health goes up and down. Some days we feel strong, on others small things feel heavy. That is normal. What matters is noticing changes and knowing when to ask for help.

## Signs that need attention

- Trouble sleeping, or sleeping far more than usual, for weeks
- Losing interest in things you usually enjoy
- Finding it hard to concentrate, or getting angry easily
- Pulling away from friends and family

Talking to someone you trust, or to a psychologist, is a brave step, not a sign of weakness.

${NOT_DIAGNOSIS_EN}`,
    },
  },
  {
    key: "stress",
    colors: [[233, 162, 59], [255, 236, 200], [155, 90, 20]],
    tags: ["stres"],
    id: {
      slug: "mengelola-stres-sehari-hari",
      title: "Mengelola stres sehari-hari",
      alt: "Ilustrasi gelombang jingga yang tenang",
      body:
        `Stres adalah reaksi tubuh dan pikiran terhadap tuntutan. Dalam jumlah kecil, stres membantu kita fokus. Tetapi stres yang terus-menerus bisa membuat lelah, sakit kepala, dan sulit tidur.

## Langkah kecil yang membantu

1. **Tarik napas perlahan.** Hirup selama 4 hitungan, tahan 4, hembuskan 6. Ulangi lima kali.
2. **Pecah tugas besar.** Tulis satu langkah kecil yang bisa dikerjakan hari ini.
3. **Bergerak.** Jalan kaki 10 menit sudah menurunkan ketegangan.
4. **Batasi berita dan media sosial** menjelang tidur.
5. **Ceritakan.** Berbagi dengan teman atau keluarga membuat beban terasa lebih ringan.

Jika stres membuat Anda sulit menjalani hari selama lebih dari dua minggu, pertimbangkan berbicara dengan psikolog.

${NOT_DIAGNOSIS_ID}`,
    },
    en: {
      slug: "managing-everyday-stress",
      title: "Managing everyday stress",
      alt: "Illustration of calm orange waves",
      body:
        `Stress is how body and mind react to demands. In small amounts it helps us focus. But stress that never lets up can leave us tired, with headaches and poor sleep.

## Small steps that help

1. **Breathe slowly.** In for 4 counts, hold for 4, out for 6. Repeat five times.
2. **Break big tasks down.** Write one small step you can do today.
3. **Move.** A 10-minute walk already eases tension.
4. **Limit news and social media** before bed.
5. **Talk about it.** Sharing with a friend or family member makes the load feel lighter.

If stress has made daily life hard for more than two weeks, consider talking to a psychologist.

${NOT_DIAGNOSIS_EN}`,
    },
  },
  {
    key: "sleep",
    colors: [[31, 52, 99], [96, 122, 180], [240, 230, 170]],
    tags: ["tidur"],
    id: {
      slug: "tidur-yang-lebih-nyenyak",
      title: "Tidur yang lebih nyenyak",
      alt: "Ilustrasi langit malam biru dengan bulan kuning",
      body:
        `Tidur yang cukup membantu suasana hati, daya ingat, dan daya tahan tubuh. Remaja umumnya butuh 8–10 jam, orang dewasa 7–9 jam.

## Kebiasaan tidur yang baik

- Tidur dan bangun pada jam yang sama, juga di akhir pekan
- Jauhkan layar ponsel 30–60 menit sebelum tidur
- Hindari kopi, teh kental, dan minuman energi setelah sore
- Buat kamar gelap, sejuk, dan tenang
- Jika tidak bisa tidur setelah 20 menit, bangun sebentar, lakukan hal yang menenangkan, lalu coba lagi

## Kapan perlu bantuan

Sulit tidur yang berlangsung berminggu-minggu, apalagi disertai rasa cemas atau sedih, sebaiknya dibicarakan dengan tenaga kesehatan atau psikolog.

${NOT_DIAGNOSIS_ID}`,
    },
    en: {
      slug: "sleeping-better",
      title: "Sleeping better",
      alt: "Illustration of a blue night sky with a yellow moon",
      body: `Enough sleep supports mood, memory and the immune system. Teenagers usually need 8–10 hours, adults 7–9.

## Good sleep habits

- Go to bed and get up at the same time, weekends included
- Put the phone away 30–60 minutes before sleep
- Avoid coffee, strong tea and energy drinks after the afternoon
- Keep the room dark, cool and quiet
- If you cannot fall asleep after 20 minutes, get up for a while, do something calm, then try again

## When to get help

Sleep trouble that lasts for weeks, especially with worry or sadness, is worth discussing with a health worker or a psychologist.

${NOT_DIAGNOSIS_EN}`,
    },
  },
  {
    key: "anxiety",
    colors: [[31, 95, 153], [190, 220, 245], [255, 255, 255]],
    tags: ["kecemasan"],
    id: {
      slug: "memahami-kecemasan",
      title: "Memahami kecemasan",
      alt: "Ilustrasi awan biru muda yang bergerak perlahan",
      body:
        `Cemas adalah perasaan khawatir atau takut tentang sesuatu yang mungkin terjadi. Semua orang pernah cemas, misalnya sebelum ujian. Kecemasan menjadi masalah bila muncul terlalu sering, terlalu kuat, dan mengganggu kegiatan.

## Yang bisa dirasakan

Jantung berdebar, napas pendek, otot tegang, sulit berkonsentrasi, atau pikiran yang terus berputar pada "bagaimana kalau…".

## Teknik 5-4-3-2-1

Saat cemas datang, sebutkan **5** hal yang Anda lihat, **4** yang bisa disentuh, **3** yang terdengar, **2** yang tercium, dan **1** yang bisa dirasakan. Latihan ini membawa perhatian kembali ke saat ini.

Kecemasan bisa dikelola, dan psikolog dapat membantu menemukan cara yang cocok untuk Anda.

${NOT_DIAGNOSIS_ID}`,
    },
    en: {
      slug: "understanding-anxiety",
      title: "Understanding anxiety",
      alt: "Illustration of light blue clouds drifting slowly",
      body:
        `Anxiety is a feeling of worry or fear about something that might happen. Everyone feels anxious at times, before an exam for example. It becomes a problem when it comes too often, too strongly, and gets in the way of daily life.

## What it can feel like

A racing heart, short breath, tense muscles, trouble concentrating, or thoughts that keep circling around "what if…".

## The 5-4-3-2-1 technique

When anxiety rises, name **5** things you can see, **4** you can touch, **3** you can hear, **2** you can smell and **1** you can taste. It brings your attention back to the present.

Anxiety can be managed, and a psychologist can help you find what works for you.

${NOT_DIAGNOSIS_EN}`,
    },
  },
  {
    key: "low-mood",
    colors: [[110, 90, 140], [215, 205, 235], [255, 214, 120]],
    tags: ["suasana-hati"],
    id: {
      slug: "saat-suasana-hati-menurun",
      title: "Saat suasana hati menurun",
      alt: "Ilustrasi ungu lembut dengan titik cahaya kuning",
      body:
        `Merasa sedih, hampa, atau tidak bersemangat sesekali adalah bagian dari hidup. Tetapi bila perasaan itu menetap hampir setiap hari selama dua minggu atau lebih, itu tanda untuk memberi perhatian lebih.

## Hal yang bisa dicoba

- Lakukan satu kegiatan kecil yang dulu menyenangkan, walau belum terasa ingin
- Keluar rumah dan terkena sinar matahari pagi
- Jaga jam makan dan tidur
- Hubungi satu orang yang Anda percaya hari ini

## Jangan menunggu sendirian

Jika muncul pikiran untuk menyakiti diri, segera hubungi **119** atau orang terdekat. Anda tidak harus menghadapinya sendiri, dan bantuan tersedia.

${NOT_DIAGNOSIS_ID}`,
    },
    en: {
      slug: "when-your-mood-is-low",
      title: "When your mood is low",
      alt: "Soft purple illustration with points of yellow light",
      body:
        `Feeling sad, empty or unmotivated now and then is part of life. But when the feeling stays nearly every day for two weeks or more, it is a sign to pay closer attention.

## Things to try

- Do one small activity you used to enjoy, even before you feel like it
- Go outside and get some morning sunlight
- Keep regular meals and sleep
- Reach out to one person you trust today

## Don't wait alone

If thoughts of hurting yourself come up, call **119** or someone close to you right away. You do not have to face it alone, and help is available.

${NOT_DIAGNOSIS_EN}`,
    },
  },
  {
    key: "self-care",
    colors: [[31, 122, 58], [205, 235, 200], [255, 250, 240]],
    tags: ["self-care", "stres"],
    id: {
      slug: "merawat-diri-sendiri",
      title: "Merawat diri sendiri",
      alt: "Ilustrasi daun hijau di atas latar terang",
      body:
        `Merawat diri (*self-care*) adalah hal-hal sederhana yang kita lakukan untuk menjaga tubuh dan pikiran. Bukan kemewahan, melainkan kebutuhan.

## Empat dasar

1. **Tubuh:** makan teratur, minum air, bergerak, tidur cukup.
2. **Pikiran:** beri jeda dari layar, tulis tiga hal yang disyukuri.
3. **Hubungan:** luangkan waktu untuk orang-orang yang membuat Anda merasa diterima.
4. **Batas:** berani berkata "tidak" pada hal yang menguras tenaga.

Mulailah dari satu kebiasaan kecil dan lakukan secara rutin. Perubahan kecil yang konsisten lebih bertahan daripada perubahan besar sesaat.

${NOT_DIAGNOSIS_ID}`,
    },
    en: {
      slug: "taking-care-of-yourself",
      title: "Taking care of yourself",
      alt: "Illustration of green leaves on a light background",
      body: `Self-care is the simple things we do to look after body and mind. It is not a luxury but a need.

## Four basics

1. **Body:** regular meals, water, movement, enough sleep.
2. **Mind:** take breaks from screens, write down three things you are grateful for.
3. **Relationships:** make time for people who make you feel accepted.
4. **Boundaries:** dare to say "no" to what drains you.

Start with one small habit and keep it up. Small, steady changes last longer than big, short-lived ones.

${NOT_DIAGNOSIS_EN}`,
    },
  },
  {
    key: "screening",
    colors: [[47, 125, 109], [227, 242, 237], [233, 162, 59]],
    tags: ["skrining", "dasar"],
    id: {
      slug: "cara-kerja-skrining-emosi",
      title: "Cara kerja skrining emosi",
      alt: "Ilustrasi daftar centang hijau dan jingga",
      body:
        `Skrining emosi di RuangPulih adalah kuesioner singkat tentang perasaan dan kebiasaan Anda dalam dua minggu terakhir. Hasilnya membantu Anda dan psikolog melihat apakah ada hal yang perlu dibicarakan lebih lanjut.

## Yang perlu diketahui

- Jawab sesuai yang Anda rasakan; tidak ada jawaban benar atau salah
- Hasil skrining **bukan diagnosis**. Diagnosis hanya bisa dibuat oleh tenaga profesional melalui pemeriksaan
- Anda bisa mengulang skrining di lain waktu untuk melihat perubahan
- Jika hasil menunjukkan perlu perhatian, Anda akan diarahkan untuk berbicara dengan psikolog

Skrining adalah titik awal percakapan, bukan label.

${NOT_DIAGNOSIS_ID}`,
    },
    en: {
      slug: "how-emotion-screening-works",
      title: "How emotion screening works",
      alt: "Illustration of a green and orange checklist",
      body:
        `The emotion screening at RuangPulih is a short questionnaire about your feelings and habits over the last two weeks. Its result helps you and a psychologist see whether something is worth talking about further.

## Good to know

- Answer as you feel; there are no right or wrong answers
- A screening result is **not a diagnosis**. Only a professional can make a diagnosis, through an assessment
- You can take the screening again later to see what changed
- If the result suggests attention is needed, you will be pointed to a psychologist

Screening is the start of a conversation, not a label.

${NOT_DIAGNOSIS_EN}`,
    },
  },
  {
    key: "privacy",
    colors: [[29, 42, 39], [91, 107, 103], [163, 214, 196]],
    tags: ["privasi"],
    id: {
      slug: "privasi-data-anda",
      title: "Privasi data Anda",
      alt: "Ilustrasi gembok hijau di atas latar gelap",
      body:
        `Cerita dan data Anda adalah milik Anda. RuangPulih menjaga data pribadi dan hasil skrining agar hanya dibaca oleh orang yang berhak.

## Prinsip kami

- **Seperlunya:** kami hanya meminta data yang dibutuhkan untuk layanan
- **Terbatas:** hasil skrining dan catatan konsultasi hanya dapat dilihat oleh Anda dan psikolog yang menangani Anda
- **Tercatat:** akses staf ke data sensitif dicatat dalam log audit
- **Aman:** kata sandi disimpan dalam bentuk yang tidak bisa dibaca kembali

Jika Anda punya pertanyaan tentang data Anda, sampaikan kepada petugas pusat layanan.`,
    },
    en: {
      slug: "your-data-privacy",
      title: "Your data privacy",
      alt: "Illustration of a green padlock on a dark background",
      body:
        `Your story and your data belong to you. RuangPulih keeps personal data and screening results readable only by the people entitled to them.

## Our principles

- **Only what's needed:** we ask only for the data the service requires
- **Limited:** screening results and session notes are visible only to you and the psychologist who sees you
- **Logged:** staff access to sensitive data is recorded in the audit log
- **Safe:** passwords are stored in a form that cannot be read back

If you have questions about your data, ask the centre's staff.`,
    },
  },
];

/** Cover width and height in pixels (the 1.91:1 ratio sharing previews use). */
const COVER_W = 960;
const COVER_H = 503;

/**
 * Draws a topic's cover: a diagonal gradient between its two colours with a
 * few translucent circles of the third. Deterministic (same topic → same bytes).
 */
export function drawCover(topic: Pick<Topic, "colors" | "key">): Uint8Array {
  const [a, b, c] = topic.colors;
  const png = new PNG({ width: COVER_W, height: COVER_H });
  let seed = [...topic.key].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const circles = Array.from({ length: 5 }, () => ({
    x: rnd() * COVER_W,
    y: rnd() * COVER_H,
    r: 60 + rnd() * 160,
    alpha: 0.18 + rnd() * 0.2,
  }));
  for (let y = 0; y < COVER_H; y++) {
    for (let x = 0; x < COVER_W; x++) {
      const t = (x / COVER_W + y / COVER_H) / 2;
      let px = [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * t);
      for (const k of circles) {
        const dx = x - k.x, dy = y - k.y;
        if (dx * dx + dy * dy <= k.r * k.r) px = px.map((v, i) => v + (c[i] - v) * k.alpha);
      }
      const o = (y * COVER_W + x) * 4;
      png.data[o] = Math.round(px[0]);
      png.data[o + 1] = Math.round(px[1]);
      png.data[o + 2] = Math.round(px[2]);
      png.data[o + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/**
 * Seeds the demo articles (both languages of each topic), newest topic first,
 * a few days apart in the past. Returns printable lines.
 * @throws Error when the seed admin is missing (run `seedAccounts()` first)
 */
export async function seedArticles(now: Date = new Date()): Promise<string[]> {
  const admin = await getUserByEmail("admin@demo.test");
  if (!admin) throw new Error("seedArticles: the admin account admin@demo.test is missing");
  let created = 0, found = 0;
  for (const [i, topic] of SEED_TOPICS.entries()) {
    const publishAt = new Date(now.getTime() - (i * 3 + 1) * 86_400_000).toISOString();
    let coverFileId: string | null = null;
    for (const lang of ["id", "en"] as const) {
      const a = topic[lang];
      if (await getArticleBySlug(a.slug)) {
        found++;
        continue;
      }
      coverFileId ??= (await saveFile(drawCover(topic), "article_cover", admin)).id;
      await createArticle(
        {
          title: a.title,
          slug: a.slug,
          lang,
          author: lang === "id" ? "Tim Psikolog RuangPulih" : "RuangPulih psychologists",
          body: a.body,
          tags: topic.tags,
          status: "published",
          publishAt,
          coverFileId,
          coverAlt: a.alt,
        },
        admin,
        now,
      );
      created++;
    }
  }
  return [`articles: ${created} created, ${found} already there`];
}
