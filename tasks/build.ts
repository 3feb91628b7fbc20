/**
 * `deno task build`: regenerates the route manifest (`fresh.gen.ts`), vendors
 * browser assets (the QR decoder's WASM; the screening models and engine), and bundles the islands.
 */
import { buildBundles, writeManifest } from "@/lib/fresh/build.ts";

/** Extra browser entries bundled beside the islands (name → module). */
export const EXTRA_ENTRIES: Record<string, string> = {};

/** Runs the whole build in `root`; returns the bundle info. */
export async function build(root: string) {
  const changed = await writeManifest(root);
  try {
    const { vendorQrAssets } = await import("./vendor_qr.ts");
    await vendorQrAssets(root);
    EXTRA_ENTRIES.qr_worker = "lib/qr/worker.ts";
  } catch (err) {
    if (!(err instanceof TypeError) && !(err instanceof Deno.errors.NotFound)) throw err;
  }
  // Emotion screening: models → models/, Human + tfjs wasm → static/vendor/human/ (tasks/vendor_screening.ts).
  // Not installed yet (`deno install` not run since the package was added): the rest still builds, the
  // screening page then reports that its engine cannot start; tests/screening_engine_test.ts fails loudly.
  try {
    const { vendorScreeningAssets } = await import("./vendor_screening.ts");
    await vendorScreeningAssets(root);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    console.error(`screening engine not vendored (${err.message}): run \`npx deno install\``);
  }
  EXTRA_ENTRIES.screening_worker = "lib/screening/engine_worker.ts";
  const info = await buildBundles(root, EXTRA_ENTRIES);
  return { manifestChanged: changed, info };
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const { manifestChanged, info } = await build(root);
  console.log(
    JSON.stringify({
      msg: "build done",
      manifestChanged,
      buildId: info.buildId,
      islands: Object.keys(info.islands),
      entries: Object.keys(info.entries),
    }),
  );
}
