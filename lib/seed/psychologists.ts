/**
 * Demo psychologists (`deno task seed`): 14 verified psychologists covering
 * every category (`psikolog1@demo.test` of `seedAccounts()` is the first), each
 * with an avatar drawn here (`./avatar.ts`), Indonesian bio, education, licence
 * number and 2–3 services in whole rupiah. Accounts `psikolog2…psikolog14@demo.test`
 * use the seed password.
 *
 * Also two pending applications (`pelamar1@demo.test`, `pelamar2@demo.test`, e-mail
 * not verified yet) with a certificate PDF and a PNG drawn here, stored through
 * the application's own commit (`createApplication`).
 *
 * Schedules come from `seedAvailability(ids)` (lib/seed/availability.ts) with the
 * returned ids.
 *
 * Idempotent: an existing account or profile is left as it is.
 */
import { config } from "@/lib/config.ts";
import { createUser, getUserByEmail, type User } from "@/lib/auth/users.ts";
import { saveFile } from "@/lib/files/store.ts";
import { type Category, profileInputSchema, type ServiceInput } from "@/lib/psychologists/model.ts";
import { createPsychologistProfile, getPsychologist } from "@/lib/psychologists/store.ts";
import { createApplication } from "@/lib/psychologists/application.ts";
import { drawAvatar, initialsOf } from "./avatar.ts";

/** One demo psychologist. */
export interface DemoPsychologist {
  email: string;
  name: string;
  title: string;
  gender: "female" | "male";
  specialisations: Category[];
  education: string[];
  licenceNumber: string;
  practicePlace: string;
  yearsOfExperience: number;
  languages: string[];
  bio: string;
  services: ServiceInput[];
  color: [number, number, number];
}

const T = "M.Psi., Psikolog";
const chat = (priceIdr: number, durationMinutes = 30): ServiceInput => ({ type: "chat", durationMinutes, priceIdr });
const video = (priceIdr: number, durationMinutes = 50): ServiceInput => ({ type: "video", durationMinutes, priceIdr });
const visit = (priceIdr: number, durationMinutes = 60): ServiceInput => ({
  type: "in_person",
  durationMinutes,
  priceIdr,
});

/** The demo psychologists (texts written for this project). */
export const DEMO_PSYCHOLOGISTS: readonly DemoPsychologist[] = [
  {
    email: "psikolog1@demo.test",
    name: "Sari Wulandari",
    title: T,
    gender: "female",
    specialisations: ["anxiety", "stress", "self_esteem"],
    education: ["S1 Psikologi, Universitas Indonesia", "Magister Psikologi Profesi Klinis, Universitas Indonesia"],
    licenceNumber: "SIPP 0117-18-2-1",
    practicePlace: "RuangPulih, Jakarta Selatan",
    yearsOfExperience: 8,
    languages: ["id", "en"],
    bio:
      "Saya mendampingi orang dewasa muda yang bergulat dengan kecemasan, stres kerja, dan rasa kurang percaya diri. Pendekatan saya terutama terapi kognitif-perilaku (CBT) yang praktis: kita mengenali pola pikir yang membebani, lalu berlatih langkah kecil yang bisa dijalankan sehari-hari.",
    services: [chat(150_000), video(300_000), visit(400_000)],
    color: [47, 125, 109],
  },
  {
    email: "psikolog2@demo.test",
    name: "Dimas Prasetyo",
    title: T,
    gender: "male",
    specialisations: ["depression", "trauma"],
    education: ["S1 Psikologi, Universitas Gadjah Mada", "Magister Psikologi Profesi Klinis, Universitas Gadjah Mada"],
    licenceNumber: "SIPP 0342-15-2-1",
    practicePlace: "Klinik Jiwa Sehat, Yogyakarta",
    yearsOfExperience: 11,
    languages: ["id", "jv"],
    bio:
      "Berpengalaman menangani depresi dan pemulihan setelah peristiwa traumatis. Saya percaya proses pulih berjalan dengan ritme masing-masing; sesi kita menjadi ruang aman untuk bercerita tanpa dihakimi.",
    services: [video(275_000), visit(350_000)],
    color: [63, 94, 160],
  },
  {
    email: "psikolog3@demo.test",
    name: "Ayu Kartika Sari",
    title: T,
    gender: "female",
    specialisations: ["relationships", "family"],
    education: ["S1 Psikologi, Universitas Padjadjaran", "Magister Psikologi Profesi Klinis, Universitas Padjadjaran"],
    licenceNumber: "SIPP 0589-19-2-1",
    practicePlace: "Biro Psikologi Harmoni, Bandung",
    yearsOfExperience: 6,
    languages: ["id", "su"],
    bio:
      "Fokus pada konseling pasangan dan dinamika keluarga: komunikasi, konflik, dan masa transisi seperti pernikahan atau kelahiran anak. Saya membantu setiap pihak merasa didengar.",
    services: [chat(125_000), video(250_000)],
    color: [196, 84, 110],
  },
  {
    email: "psikolog4@demo.test",
    name: "Rizky Hidayat",
    title: T,
    gender: "male",
    specialisations: ["career", "stress"],
    education: [
      "S1 Psikologi, Universitas Airlangga",
      "Magister Psikologi Profesi Industri dan Organisasi, Universitas Airlangga",
    ],
    licenceNumber: "SIPP 0721-17-2-2",
    practicePlace: "RuangPulih, Surabaya",
    yearsOfExperience: 9,
    languages: ["id", "en"],
    bio:
      "Membantu pekerja dan mahasiswa tingkat akhir menghadapi kejenuhan (burnout), kebingungan karier, dan tekanan target. Sesi bersifat terarah dengan tujuan yang kita sepakati bersama.",
    services: [chat(100_000), video(225_000)],
    color: [214, 137, 42],
  },
  {
    email: "psikolog5@demo.test",
    name: "Nurul Aini",
    title: T,
    gender: "female",
    specialisations: ["family", "self_esteem"],
    education: [
      "S1 Psikologi, UIN Syarif Hidayatullah Jakarta",
      "Magister Psikologi Profesi Klinis, Universitas Indonesia",
    ],
    licenceNumber: "SIPP 0834-20-2-1",
    practicePlace: "Pusat Konseling Keluarga Sakinah, Depok",
    yearsOfExperience: 5,
    languages: ["id"],
    bio:
      "Mendampingi remaja dan orang tua: pola asuh, hubungan orang tua dan anak, serta membangun harga diri yang sehat. Saya senang bekerja dengan pendekatan yang hangat dan berbasis kekuatan.",
    services: [chat(90_000), video(200_000), visit(275_000)],
    color: [120, 90, 170],
  },
  {
    email: "psikolog6@demo.test",
    name: "Bagus Santoso",
    title: T,
    gender: "male",
    specialisations: ["addiction", "depression"],
    education: ["S1 Psikologi, Universitas Diponegoro", "Magister Psikologi Profesi Klinis, Universitas Diponegoro"],
    licenceNumber: "SIPP 0455-14-2-1",
    practicePlace: "Rumah Pemulihan Sadar, Semarang",
    yearsOfExperience: 13,
    languages: ["id", "jv"],
    bio:
      "Lebih dari sepuluh tahun mendampingi pemulihan dari kecanduan (zat, judi daring, gawai) dan depresi yang menyertainya. Kita menyusun rencana pemulihan yang realistis, termasuk mencegah kambuh.",
    services: [video(300_000), visit(375_000)],
    color: [70, 130, 60],
  },
  {
    email: "psikolog7@demo.test",
    name: "Putri Maharani",
    title: T,
    gender: "female",
    specialisations: ["trauma", "anxiety"],
    education: ["S1 Psikologi, Universitas Udayana", "Magister Psikologi Profesi Klinis, Universitas Gadjah Mada"],
    licenceNumber: "SIPP 0912-21-2-1",
    practicePlace: "Layanan Psikologi Tenang, Denpasar",
    yearsOfExperience: 4,
    languages: ["id", "en"],
    bio:
      "Terlatih dalam pendekatan yang peka trauma dan teknik regulasi emosi. Cocok bagi Anda yang sering cemas, panik, atau terbayang kejadian yang menyakitkan.",
    services: [chat(120_000), video(260_000)],
    color: [185, 70, 60],
  },
  {
    email: "psikolog8@demo.test",
    name: "Hendra Gunawan",
    title: T,
    gender: "male",
    specialisations: ["career", "relationships"],
    education: [
      "S1 Psikologi, Universitas Katolik Indonesia Atma Jaya",
      "Magister Psikologi Profesi Klinis Dewasa, Universitas Tarumanagara",
    ],
    licenceNumber: "SIPP 0267-16-2-2",
    practicePlace: "RuangPulih, Jakarta Barat",
    yearsOfExperience: 10,
    languages: ["id", "en", "zh"],
    bio:
      "Menangani persoalan hubungan di tempat kerja dan dalam keluarga besar, keputusan karier, serta keseimbangan kerja dan hidup. Bisa berbahasa Indonesia, Inggris, dan Mandarin.",
    services: [video(325_000), visit(450_000)],
    color: [40, 110, 150],
  },
  {
    email: "psikolog9@demo.test",
    name: "Dewi Anggraini",
    title: T,
    gender: "female",
    specialisations: ["depression", "anxiety"],
    education: [
      "S1 Psikologi, Universitas Sumatera Utara",
      "Magister Psikologi Profesi Klinis, Universitas Sumatera Utara",
    ],
    licenceNumber: "SIPP 0633-18-2-1",
    practicePlace: "Klinik Psikologi Cerah, Medan",
    yearsOfExperience: 7,
    languages: ["id"],
    bio:
      "Mendampingi klien dengan suasana hati yang menurun, sulit tidur, dan cemas berkepanjangan. Sesi kita memadukan CBT, latihan kesadaran penuh (mindfulness), dan pemantauan suasana hati.",
    services: [chat(110_000), video(240_000), visit(300_000)],
    color: [150, 100, 50],
  },
  {
    email: "psikolog10@demo.test",
    name: "Fajar Nugroho",
    title: T,
    gender: "male",
    specialisations: ["addiction", "stress"],
    education: [
      "S1 Psikologi, Universitas Sebelas Maret",
      "Magister Psikologi Profesi Klinis, Universitas Gadjah Mada",
    ],
    licenceNumber: "SIPP 0788-19-2-1",
    practicePlace: "RuangPulih, Solo",
    yearsOfExperience: 6,
    languages: ["id", "jv"],
    bio:
      "Membantu mengelola stres dan kebiasaan yang sulit dihentikan, terutama pada mahasiswa dan pekerja muda. Saya memakai wawancara motivasional agar perubahan datang dari Anda sendiri.",
    services: [chat(95_000), video(210_000)],
    color: [90, 120, 130],
  },
  {
    email: "psikolog11@demo.test",
    name: "Intan Permatasari",
    title: T,
    gender: "female",
    specialisations: ["relationships", "self_esteem"],
    education: ["S1 Psikologi, Universitas Brawijaya", "Magister Psikologi Profesi Klinis, Universitas Airlangga"],
    licenceNumber: "SIPP 0956-22-2-1",
    practicePlace: "Biro Psikologi Mekar, Malang",
    yearsOfExperience: 3,
    languages: ["id", "en"],
    bio:
      "Menemani Anda memahami diri, menetapkan batasan yang sehat dalam hubungan, dan pulih dari putus cinta. Sesi santai namun terarah.",
    services: [chat(85_000), video(180_000)],
    color: [200, 110, 150],
  },
  {
    email: "psikolog12@demo.test",
    name: "Yusuf Ramadhan",
    title: T,
    gender: "male",
    specialisations: ["family", "trauma"],
    education: ["S1 Psikologi, Universitas Hasanuddin", "Magister Psikologi Profesi Klinis, Universitas Indonesia"],
    licenceNumber: "SIPP 0511-16-2-1",
    practicePlace: "Pusat Layanan Psikologi Makassar",
    yearsOfExperience: 10,
    languages: ["id", "bug"],
    bio:
      "Berpengalaman mendampingi keluarga setelah kehilangan, perceraian, dan bencana. Saya juga melayani konseling duka bagi anak dan remaja bersama orang tuanya.",
    services: [video(260_000), visit(325_000)],
    color: [60, 140, 120],
  },
  {
    email: "psikolog13@demo.test",
    name: "Lestari Handayani",
    title: T,
    gender: "female",
    specialisations: ["stress", "career"],
    education: [
      "S1 Psikologi, Universitas Negeri Yogyakarta",
      "Magister Psikologi Profesi Klinis, Universitas Ahmad Dahlan",
    ],
    licenceNumber: "SIPP 0699-18-2-2",
    practicePlace: "RuangPulih, Yogyakarta",
    yearsOfExperience: 8,
    languages: ["id", "jv", "en"],
    bio:
      "Mendampingi guru, tenaga kesehatan, dan pekerja sosial yang kelelahan karena merawat orang lain. Kita berlatih mengenali batas diri dan memulihkan energi.",
    services: [chat(100_000), video(230_000), visit(290_000)],
    color: [170, 130, 40],
  },
  {
    email: "psikolog14@demo.test",
    name: "I Made Wirawan",
    title: T,
    gender: "male",
    specialisations: ["anxiety", "addiction", "depression"],
    education: ["S1 Psikologi, Universitas Udayana", "Magister Psikologi Profesi Klinis, Universitas Padjadjaran"],
    licenceNumber: "SIPP 0402-15-2-1",
    practicePlace: "Klinik Santhi, Gianyar",
    yearsOfExperience: 12,
    languages: ["id", "en", "ban"],
    bio:
      "Menangani kecemasan, serangan panik, dan penggunaan alkohol yang berlebihan, dengan CBT dan terapi penerimaan dan komitmen (ACT). Melayani klien lokal maupun mancanegara.",
    services: [chat(130_000), video(280_000), visit(360_000)],
    color: [110, 80, 60],
  },
];

/** What `seedPsychologists` did: printable lines and the ids of every seeded verified psychologist. */
export interface SeededPsychologists {
  lines: string[];
  /** User ids (= profile ids) of the verified demo psychologists, in `DEMO_PSYCHOLOGISTS` order. */
  ids: string[];
}

/**
 * Creates the demo psychologists' accounts (where missing), photos and verified
 * profiles (where missing). Needs nothing else; `seedAccounts()` may have
 * created `psikolog1` already.
 */
export async function seedPsychologists(now: Date = new Date()): Promise<SeededPsychologists> {
  const lines: string[] = [];
  const ids: string[] = [];
  for (const d of DEMO_PSYCHOLOGISTS) {
    let user: User | null = await getUserByEmail(d.email);
    user ??= await createUser({
      role: "psychologist",
      name: `${d.name}, ${d.title}`,
      email: d.email,
      gender: d.gender,
      lang: "id",
      status: "active",
      mustChangePassword: false,
      password: config.seedPassword,
    });
    ids.push(user.id);
    if (await getPsychologist(user.id)) {
      lines.push(`psychologist  ${d.email.padEnd(24)} ${d.name}  (exists)`);
      continue;
    }
    const photo = await saveFile(drawAvatar(initialsOf(d.name), d.color), "psychologist_photo", user);
    await createPsychologistProfile(user.id, {
      name: d.name,
      title: d.title,
      specialisations: d.specialisations,
      education: d.education,
      licenceNumber: d.licenceNumber,
      practicePlace: d.practicePlace,
      yearsOfExperience: d.yearsOfExperience,
      languages: d.languages,
      bio: d.bio,
      services: d.services,
    }, { verification: "verified", photoFileId: photo.id, now });
    lines.push(`psychologist  ${d.email.padEnd(24)} ${d.name}  (profile created)`);
  }
  lines.push(...await seedApplications());
  return { lines, ids };
}

/**
 * A small, valid one-page PDF (PDF 1.4, Helvetica) reading "Sertifikat" and
 * `line`; the cross-reference table has the real byte offsets.
 */
export function certificatePdf(line: string): Uint8Array {
  const text = line.replace(/[()\\]/g, "");
  const stream = `BT /F1 24 Tf 72 720 Td (Sertifikat Psikolog) Tj 0 -36 Td /F1 14 Tf (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

/** The two demo applicants (pending applications). */
export const DEMO_APPLICANTS = [
  {
    email: "pelamar1@demo.test",
    name: "Citra Ayuningtyas",
    licenceNumber: "SIPP 1021-24-2-1",
    specialisations: ["anxiety", "self_esteem"],
    education: ["S1 Psikologi, Universitas Gadjah Mada", "Magister Psikologi Profesi Klinis, Universitas Gadjah Mada"],
    years: 2,
    languages: ["id", "en"],
    bio: "Psikolog klinis muda yang tertarik pada kecemasan sosial pada remaja dan dewasa muda.",
    color: [90, 110, 170] as [number, number, number],
  },
  {
    email: "pelamar2@demo.test",
    name: "Arief Wicaksono",
    licenceNumber: "SIPP 1033-24-2-2",
    specialisations: ["career", "stress"],
    education: ["S1 Psikologi, Universitas Airlangga", "Magister Psikologi Profesi, Universitas Airlangga"],
    years: 3,
    languages: ["id", "jv"],
    bio: "Berpengalaman di layanan konseling karyawan dan pendampingan stres kerja.",
    color: [170, 120, 60] as [number, number, number],
  },
] as const;

/** Submits the demo applications that do not exist yet (by e-mail); returns printable lines. */
export async function seedApplications(): Promise<string[]> {
  const lines: string[] = [];
  for (const a of DEMO_APPLICANTS) {
    if (await getUserByEmail(a.email)) {
      lines.push(`application   ${a.email.padEnd(24)} ${a.name}  (exists)`);
      continue;
    }
    const profile = profileInputSchema.parse({
      name: a.name,
      title: "M.Psi., Psikolog",
      licenceNumber: a.licenceNumber,
      specialisations: a.specialisations,
      education: a.education,
      yearsOfExperience: a.years,
      languages: a.languages,
      bio: a.bio,
    });
    await createApplication(
      { name: a.name, email: a.email, password: config.seedPassword },
      profile,
      [certificatePdf(`${a.name} - ${a.licenceNumber}`), drawAvatar(initialsOf(a.name), a.color, 320)],
      "id",
    );
    lines.push(`application   ${a.email.padEnd(24)} ${a.name}  (pending, created)`);
  }
  return lines;
}
