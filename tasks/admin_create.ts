/**
 * `deno task admin:create --email admin@example.org --name "Nama Admin" [--password …] [--lang id|en]`
 *
 * Creates an admin account (the first one, docs/domain-rules.md "Roles and accounts"). The password comes
 * from `--password`, else the environment variable `ADMIN_PASSWORD`, else it is
 * asked for (hidden input) when stdin is a terminal; left empty, or without a
 * terminal, a generated one is printed once. The account does not have to change it.
 * Exit codes: 0 created, 1 refused (duplicate e-mail, invalid input), 2 usage.
 */
import { parseArgs } from "node:util";
import { createUser, getUserByEmail } from "@/lib/auth/users.ts";
import { passwordProblem } from "@/lib/auth/password.ts";
import { email as emailSchema, name as nameSchema } from "@/lib/auth/schemas.ts";
import { temporaryPassword } from "@/lib/auth/accounts.ts";
import { audit } from "@/lib/audit.ts";
import { closeKv, getKv } from "@/lib/db/kv.ts";
import { Conflict } from "@/lib/errors.ts";
import { translate } from "@/lib/i18n/mod.ts";

const USAGE = 'usage: deno task admin:create --email EMAIL --name "NAME" [--password PASSWORD] [--lang id|en]';

/** Reads a line from the terminal without echoing it. */
async function readSecret(question: string): Promise<string> {
  const enc = new TextEncoder();
  await Deno.stdout.write(enc.encode(question));
  Deno.stdin.setRaw(true);
  const chars: string[] = [];
  const buf = new Uint8Array(64);
  try {
    outer: for (;;) {
      const n = await Deno.stdin.read(buf);
      if (n === null) break;
      for (const ch of new TextDecoder().decode(buf.subarray(0, n))) {
        if (ch === "\r" || ch === "\n") break outer;
        if (ch === "\u0003") throw new Error("interrupted");
        if (ch === "\u007f" || ch === "\b") chars.pop();
        else chars.push(ch);
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
    await Deno.stdout.write(enc.encode("\n"));
  }
  return chars.join("");
}

/**
 * Runs the command with `args`; returns the exit code (for tests).
 * `interactive`: ask for the password on the terminal when none is given.
 */
export async function main(args: string[], interactive = false): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      options: {
        email: { type: "string" },
        name: { type: "string" },
        password: { type: "string" },
        lang: { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (typeof values.email !== "string" || typeof values.name !== "string") {
    console.error(USAGE);
    return 2;
  }
  const em = emailSchema.safeParse(values.email);
  const nm = nameSchema.safeParse(values.name);
  if (!em.success) {
    console.error(`error: invalid e-mail address: ${values.email}`);
    return 1;
  }
  if (!nm.success) {
    console.error("error: invalid name (1–100 characters)");
    return 1;
  }
  const lang = values.lang === "en" ? "en" : "id";
  let password = typeof values.password === "string" ? values.password : Deno.env.get("ADMIN_PASSWORD") || "";
  if (!password && interactive) password = await readSecret("Password (empty = generate one): ");
  const generated = !password;
  if (generated) password = temporaryPassword();
  const problem = await passwordProblem(password, [em.data, values.name as string | undefined]);
  if (problem) {
    console.error(`error: ${translate("en", problem)}`);
    return 1;
  }
  await getKv();
  if (await getUserByEmail(em.data)) {
    console.error(
      `error: an account with the e-mail ${em.data} already exists`,
    );
    return 1;
  }
  try {
    const user = await createUser({
      role: "admin",
      name: nm.data,
      email: em.data,
      lang,
      status: "active",
      mustChangePassword: false,
      password,
    });
    await audit("cli", "user.create", `user:${user.id}`, {
      role: "admin",
      email: user.email,
      via: "admin:create",
    });
    console.log(`admin created: ${user.email} (id ${user.id})`);
    if (generated) {
      console.log(
        `password: ${password}\n(shown once — store it safely and change it after signing in)`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof Conflict) {
      console.error(
        `error: an account with the e-mail ${em.data} already exists`,
      );
      return 1;
    }
    throw err;
  }
}

if (import.meta.main) {
  const code = await main(Deno.args, Deno.stdin.isTerminal());
  closeKv();
  Deno.exit(code);
}
