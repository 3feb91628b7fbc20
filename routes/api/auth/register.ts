import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { publicUser, registerClient } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { isLang } from "@/lib/i18n/mod.ts";
import { lang, publicUserSchema, registerSchema } from "@/lib/auth/schemas.ts";
import { defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `POST /api/auth/register` `{ name, gender, birthDate, email, password, lang? }`
 * → 201 `{ user, mailSent }` (status `pending`; a code is e-mailed; a registered
 * e-mail gets the same answer with a user that is not stored, and its owner a notice). Then
 * `POST /api/auth/verify`. Errors: 400 `validation_failed`, 429.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const body = await readBody(ctx.req);
    const lang = isLang(body.lang) ? body.lang : ctx.state.lang;
    const { user, mailSent } = await registerClient(body, lang, clientIp(ctx));
    return Response.json({ user: publicUser(user), mailSent }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["auth"],
    summary: "Register a client; a verification code is e-mailed (account `pending` until verified)",
    body: registerSchema.extend({ lang: lang.optional() }),
    responses: {
      201: {
        description: "Registered, pending verification",
        schema: z.object({ user: publicUserSchema, mailSent: z.boolean() }),
      },
      400:
        "`validation_failed` (e.g. a password that is too easy to guess). A registered e-mail gets the same 201 answer, with a user that is not stored, and its owner a notice mail",
      429: tooManyRequests(),
    },
  },
});
