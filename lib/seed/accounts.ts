/**
 * Demo accounts (`deno task seed`): one per role, all with the
 * password `SEED_PASSWORD` (default `ruangpulih-demo`), active, without a forced
 * password change. Idempotent: existing accounts (same e-mail or phone) are
 * left as they are.
 */
import { config } from "@/lib/config.ts";
import { createUser, getUserByEmail, getUserByPhone, type Role, type User } from "@/lib/auth/users.ts";
import { canonicalPhone } from "@/lib/auth/phone.ts";

/** A demo account definition. */
export interface DemoAccount {
  role: Role;
  name: string;
  email?: string;
  /** As a person would type it; stored canonical. */
  phone?: string;
  gender?: "female" | "male";
  birthDate?: string;
}

/** The demo accounts, in the order they are printed. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: "admin", name: "Admin Demo", email: "admin@demo.test" },
  {
    role: "psychologist",
    name: "Sari Wulandari, M.Psi., Psikolog",
    email: "psikolog1@demo.test",
    gender: "female",
  },
  {
    role: "client",
    name: "Budi Santoso",
    email: "klien1@demo.test",
    gender: "male",
    birthDate: "1999-04-12",
  },
  {
    role: "teacher",
    name: "Ratna Dewi, S.Pd.",
    email: "guru1@demo.test",
    gender: "female",
  },
  {
    role: "teacher",
    name: "Andi Pratama, S.Pd.",
    email: "guru2@demo.test",
    gender: "male",
  },
  {
    role: "teacher",
    name: "Maya Lestari, S.Pd.",
    email: "guru3@demo.test",
    gender: "female",
  },
  {
    role: "receptionist",
    name: "Rina Resepsionis",
    email: "resepsionis@demo.test",
    gender: "female",
  },
  { role: "guest", name: "Tamu Demo", phone: "081234567890" },
];

/** One line of the seed report. */
export interface SeededAccount {
  role: Role;
  name: string;
  /** E-mail, or canonical phone for the guest: what to type at sign-in. */
  login: string;
  password: string;
  id: string;
  created: boolean;
}

/**
 * Creates the demo accounts that do not exist yet and returns all of them
 * (with `created: false` for those already there). Safe to run repeatedly.
 */
export async function seedAccounts(): Promise<SeededAccount[]> {
  const password = config.seedPassword;
  const out: SeededAccount[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const phone = a.phone ? canonicalPhone(a.phone) : null;
    let user: User | null = a.email ? await getUserByEmail(a.email) : await getUserByPhone(phone!);
    let created = false;
    if (!user) {
      user = await createUser({
        role: a.role,
        name: a.name,
        email: a.email ?? null,
        phone,
        gender: a.gender ?? null,
        birthDate: a.birthDate ?? null,
        lang: "id",
        status: "active",
        mustChangePassword: false,
        password,
      });
      created = true;
    }
    out.push({
      role: a.role,
      name: user.name,
      login: user.email ?? user.phone ?? "",
      password,
      id: user.id,
      created,
    });
  }
  return out;
}

/** One printable line for `deno task seed`, e.g. `admin  admin@demo.test  Admin Demo  (created)`. */
export function seededLine(a: SeededAccount): string {
  return `${a.role.padEnd(13)} ${a.login.padEnd(24)} ${a.name}${a.created ? "  (created)" : "  (exists)"}`;
}
