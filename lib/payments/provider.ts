/**
 * Which Midtrans the app talks to (`MIDTRANS_ENV`): the builtin sandbox
 * (default without a server key), Midtrans' sandbox or production. Only the
 * base URLs, the key and — for the builtin one — the transport differ
 * (docs/domain-rules.md "Payments"):
 *
 * | env          | Snap                                                | Core API (`/v2/…`)                  |
 * | ------------ | --------------------------------------------------- | ----------------------------------- |
 * | `builtin`    | `${BASE_URL}/sandbox/midtrans/snap/v1/transactions` | `${BASE_URL}/sandbox/midtrans`      |
 * | `sandbox`    | `https://app.sandbox.midtrans.com/snap/v1/transactions` | `https://api.sandbox.midtrans.com` |
 * | `production` | `https://app.midtrans.com/snap/v1/transactions`     | `https://api.midtrans.com`          |
 */
import { config } from "@/lib/config.ts";
import { ServiceUnavailable } from "@/lib/errors.ts";
import { type MidtransClient, midtransClient } from "./midtrans.ts";
import { builtinServerKey } from "./secret.ts";
import { sandboxBaseUrl, sandboxFetch } from "./sandbox.ts";

/** Base URLs of the real Midtrans environments (Midtrans docs, "Snap Integration Guide"). */
export const MIDTRANS_URLS = {
  sandbox: {
    snapUrl: "https://app.sandbox.midtrans.com/snap/v1/transactions",
    apiBase: "https://api.sandbox.midtrans.com",
  },
  production: { snapUrl: "https://app.midtrans.com/snap/v1/transactions", apiBase: "https://api.midtrans.com" },
} as const;

/** The configured provider: its environment, server key (signature secret) and client. */
export interface Provider {
  env: "builtin" | "sandbox" | "production";
  serverKey: string;
  client: MidtransClient;
}

/**
 * The provider of the current configuration.
 * @throws ServiceUnavailable `payment_provider_unavailable` for `sandbox`/`production` without `MIDTRANS_SERVER_KEY`
 */
export async function provider(): Promise<Provider> {
  const env = config.midtransEnv;
  if (env === "builtin") {
    const serverKey = await builtinServerKey();
    const base = sandboxBaseUrl();
    return {
      env,
      serverKey,
      client: midtransClient({
        snapUrl: `${base}/snap/v1/transactions`,
        apiBase: base,
        serverKey,
        fetch: sandboxFetch,
      }),
    };
  }
  const serverKey = config.midtransServerKey;
  if (!serverKey) throw new ServiceUnavailable(60, "payment_provider_unavailable", "pay.error.provider_unavailable");
  return { env, serverKey, client: midtransClient({ ...MIDTRANS_URLS[env], serverKey }) };
}
