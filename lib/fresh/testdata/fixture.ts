/**
 * The fixture app of the Fresh-layer tests (`testdata/fresh_app`, Fresh file
 * naming): writes its manifest, optionally bundles its islands, and returns the
 * app with its handler.
 */
import { App, buildBundles, type BuildInfo, type Manifest, staticFiles } from "fresh";
import { generateManifest } from "../build.ts";

/** Absolute path of the fixture app. */
export const FIXTURE: string = new URL("./fresh_app", import.meta.url).pathname;

/** The fixture app; `nonce` is the CSP nonce every page gets. */
export async function fixtureApp(
  options: { build?: boolean; nonce?: string } = {},
): Promise<{ app: App<{ nonce?: string }>; handler: (req: Request) => Promise<Response>; build: BuildInfo | null }> {
  await Deno.writeTextFile(`${FIXTURE}/fresh.gen.ts`, await generateManifest(FIXTURE));
  const manifest = (await import(`${FIXTURE}/fresh.gen.ts`)).default as Manifest;
  const build = options.build ? await buildBundles(FIXTURE) : null;
  const nonce = options.nonce ?? "test-nonce";
  const app = new App<{ nonce?: string }>({ build, nonce: () => nonce });
  app.use(staticFiles(`${FIXTURE}/static`));
  app.fsRoutes(manifest);
  const handler = app.handler();
  return { app, handler: (req) => handler(req), build };
}

/** GET (or `init`) `path` on `handler`. */
export function get(handler: (req: Request) => Promise<Response>, path: string, init?: RequestInit): Promise<Response> {
  return handler(new Request(`http://x${path}`, init));
}
