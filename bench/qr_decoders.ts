/**
 * QR decoder benchmark: jsQR vs zxing-wasm on the ZXing QR black-box corpus
 * (`../shared/datasets/zxing-qrcode/qrcode-1` … `qrcode-6`, 179 images), each image
 * rotated 0°, 90°, 180° and 270°.
 *
 * A read counts only when the decoded text equals the expected text exactly, as
 * ZXing's own harness (`AbstractBlackBoxTestCase`) compares it: the `.txt` beside the
 * PNG, read as UTF-8 and **not trimmed** (some payloads really end in "\n" or "\r\n").
 *
 * Run: `deno run -A bench/qr_decoders.ts` (dataset elsewhere: `QR_DATASET_DIR=…`).
 * Results are written up in `docs/qr-decoders.md`.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import pngjs from "pngjs";
import { decodeZxing, initZxing, type RgbaImage } from "@/lib/qr/decode.ts";
import { decodeJsqr } from "@/lib/qr/jsqr.ts";

/** The rotations measured, clockwise, in degrees. */
export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

/** One dataset image with its expected text. */
export interface DatasetImage {
  /** Set name, e.g. "qrcode-1". */
  set: string;
  /** File name, e.g. "1.png". */
  name: string;
  image: RgbaImage;
  /** Exact expected text (UTF-8 `.txt`, untrimmed). */
  expected: string;
}

/** One row of results: one decoder at one rotation over the whole corpus. */
export interface BenchRow {
  decoder: "jsqr" | "zxing-wasm";
  rotation: Rotation;
  /** Images tried. */
  total: number;
  /** Images whose decoded text equals the expected text. */
  read: number;
  /** read / total, 0..1. */
  readRate: number;
  /** Mean wall time per decode call in milliseconds (reads and misses alike). */
  msPerImage: number;
  /** Correct reads per set, e.g. { "qrcode-1": 17, … }. */
  readBySet: Record<string, number>;
}

/** Repository-relative default location of the corpus. */
export const DEFAULT_DATASET_DIR = new URL(
  "../../shared/datasets/zxing-qrcode/",
  import.meta.url,
).pathname;

/** The corpus directory: `QR_DATASET_DIR` when set, else {@link DEFAULT_DATASET_DIR}. */
export function datasetDir(): string {
  let dir: string | undefined;
  try {
    dir = Deno.env.get("QR_DATASET_DIR");
  } catch {
    dir = undefined;
  }
  return dir || DEFAULT_DATASET_DIR;
}

/**
 * Decodes a PNG to RGBA. Transparent pixels are composited onto white, as ZXing's
 * `BufferedImageLuminanceSource` treats them (and as a page shows them); every other
 * pixel keeps its colour.
 */
export function decodePng(bytes: Uint8Array): RgbaImage {
  const png = pngjs.PNG.sync.read(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  );
  const data = new Uint8ClampedArray(png.data); // a copy: aligned, not a pooled Buffer
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3];
    if (a !== 255) {
      const k = a / 255;
      data[i] = data[i] * k + 255 * (1 - k);
      data[i + 1] = data[i + 1] * k + 255 * (1 - k);
      data[i + 2] = data[i + 2] * k + 255 * (1 - k);
      data[i + 3] = 255;
    }
  }
  return { data, width: png.width, height: png.height };
}

/**
 * Rotates RGBA pixels clockwise by a multiple of 90°.
 *
 * @returns a new image (the input is not changed); 90° and 270° swap width and height.
 */
export function rotateRgba(image: RgbaImage, degrees: Rotation): RgbaImage {
  const { width: w, height: h } = image;
  const src = new Uint32Array(
    image.data.buffer,
    image.data.byteOffset,
    w * h,
  );
  if (degrees === 0) {
    return { data: new Uint8ClampedArray(image.data), width: w, height: h };
  }
  const dw = degrees === 180 ? w : h;
  const dh = degrees === 180 ? h : w;
  const dst = new Uint32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let dx: number, dy: number;
      if (degrees === 90) {
        dx = h - 1 - y;
        dy = x;
      } else if (degrees === 180) {
        dx = w - 1 - x;
        dy = h - 1 - y;
      } else {
        dx = y;
        dy = w - 1 - x;
      }
      dst[dy * dw + dx] = src[row + x];
    }
  }
  return { data: new Uint8ClampedArray(dst.buffer), width: dw, height: dh };
}

function numericName(a: string, b: string): number {
  return parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b);
}

/**
 * Loads the corpus: every `qrcode-*` directory, every `K.png` with its `K.txt`
 * (`K.metadata.txt` files are ignored). Images are returned ordered by set and number.
 *
 * @param dir corpus directory (default {@link datasetDir}).
 * @param limit at most this many images per set (tests use a few).
 * @param sets only these sets (default all `qrcode-*`).
 * @param names only these images, as "set/K.png" (e.g. "qrcode-3/18.png").
 */
export async function loadDataset(
  dir: string = datasetDir(),
  { limit = Infinity, sets, names }: {
    limit?: number;
    sets?: string[];
    names?: string[];
  } = {},
): Promise<DatasetImage[]> {
  const setNames: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory && /^qrcode-\d+$/.test(e.name)) setNames.push(e.name);
  }
  setNames.sort((a, b) => numericName(a.slice(7), b.slice(7)));
  const out: DatasetImage[] = [];
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  for (const set of setNames) {
    if (sets && !sets.includes(set)) continue;
    const pngs: string[] = [];
    for await (const e of Deno.readDir(`${dir}/${set}`)) {
      if (e.isFile && e.name.endsWith(".png")) pngs.push(e.name);
    }
    pngs.sort(numericName);
    const wanted = names ? pngs.filter((n) => names.includes(`${set}/${n}`)) : pngs;
    for (const name of wanted.slice(0, limit)) {
      const base = name.slice(0, -4);
      const expected = utf8.decode(
        await Deno.readFile(`${dir}/${set}/${base}.txt`),
      );
      const image = decodePng(await Deno.readFile(`${dir}/${set}/${name}`));
      out.push({ set, name, image, expected });
    }
  }
  return out;
}

type Decoder = (image: RgbaImage) => Promise<string | null>;

/** The decoders compared, by name. */
export const DECODERS: Record<BenchRow["decoder"], Decoder> = {
  "jsqr": (image) => Promise.resolve(decodeJsqr(image)),
  "zxing-wasm": (image) => decodeZxing(image),
};

/**
 * Runs one decoder over images at one rotation.
 *
 * @returns the row of results; `misses` lists the images not read (or read wrong).
 */
export async function measure(
  decoder: BenchRow["decoder"],
  rotation: Rotation,
  images: DatasetImage[],
): Promise<BenchRow & { misses: string[] }> {
  const decode = DECODERS[decoder];
  const readBySet: Record<string, number> = {};
  const misses: string[] = [];
  let read = 0;
  let ms = 0;
  for (const item of images) {
    readBySet[item.set] ??= 0;
    const rotated = rotateRgba(item.image, rotation);
    const t0 = performance.now();
    const text = await decode(rotated);
    ms += performance.now() - t0;
    if (text === item.expected) {
      read++;
      readBySet[item.set]++;
    } else {
      misses.push(`${item.set}/${item.name}`);
    }
  }
  const total = images.length;
  return {
    decoder,
    rotation,
    total,
    read,
    readRate: total ? read / total : 0,
    msPerImage: total ? ms / total : 0,
    readBySet,
    misses,
  };
}

/**
 * Measures both decoders at 0°, 90°, 180° and 270° over the whole corpus.
 * zxing-wasm is instantiated before timing starts (its one-off start-up is not decode
 * time), and each decoder gets one untimed warm-up pass over a few images.
 */
export async function benchDecoders(
  dir: string = datasetDir(),
): Promise<BenchRow[]> {
  const images = await loadDataset(dir);
  await initZxing();
  const rows: BenchRow[] = [];
  for (const decoder of Object.keys(DECODERS) as BenchRow["decoder"][]) {
    for (const item of images.slice(0, 5)) await DECODERS[decoder](item.image);
    for (const rotation of ROTATIONS) {
      const { misses: _misses, ...row } = await measure(
        decoder,
        rotation,
        images,
      );
      rows.push(row);
    }
  }
  return rows;
}

/** Timing of one decoder on a frame that holds no QR code. */
export interface EmptyFrameRow {
  decoder: BenchRow["decoder"];
  /** "gray" (uniform mid-gray) or "noise" (random grey levels, the worst case). */
  frame: "gray" | "noise";
  width: number;
  height: number;
  /** Mean milliseconds per decode call (which returns null). */
  msPerFrame: number;
}

/** A frame with no QR code: uniform grey or deterministic pseudo-random noise. */
export function emptyFrame(
  kind: EmptyFrameRow["frame"],
  width: number,
  height: number,
): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4).fill(128);
  if (kind === "noise") {
    let seed = 1;
    for (let i = 0; i < data.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      data[i] = 100 + ((seed >> 16) % 60);
    }
  }
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { data, width, height };
}

/**
 * Measures the time each decoder spends on camera-size frames with no code in them —
 * most frames of a continuous scan are like that, so this bounds how often the scan
 * screen can try a frame.
 *
 * @param repeats timed decodes per decoder and frame (after one untimed warm-up).
 */
export async function benchEmptyFrames(repeats = 3): Promise<EmptyFrameRow[]> {
  await initZxing();
  const rows: EmptyFrameRow[] = [];
  for (const [width, height] of [[640, 480], [1280, 720]]) {
    for (const frame of ["gray", "noise"] as const) {
      const image = emptyFrame(frame, width, height);
      for (const decoder of Object.keys(DECODERS) as BenchRow["decoder"][]) {
        const decode = DECODERS[decoder];
        await decode(image);
        const t0 = performance.now();
        for (let i = 0; i < repeats; i++) {
          if ((await decode(image)) !== null) {
            throw new Error(`${decoder} found a code in an empty frame`);
          }
        }
        rows.push({
          decoder,
          frame,
          width,
          height,
          msPerFrame: (performance.now() - t0) / repeats,
        });
      }
    }
  }
  return rows;
}

/** Formats empty-frame rows as a Markdown table. */
export function formatEmptyFrameTable(rows: EmptyFrameRow[]): string {
  const lines = [
    "| frame (no code) | decoder | ms per frame |",
    "|---|---|---:|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.width}×${r.height} ${r.frame} | ${r.decoder} | ${r.msPerFrame.toFixed(2)} |`,
    );
  }
  return lines.join("\n");
}

/** Formats rows as a Markdown table. */
export function formatTable(rows: BenchRow[]): string {
  const sets = [...new Set(rows.flatMap((r) => Object.keys(r.readBySet)))];
  const head = [
    "decoder",
    "rotation",
    "read / total",
    "read rate",
    "ms per image",
    ...sets,
  ];
  const lines = [
    `| ${head.join(" | ")} |`,
    `|${head.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`,
  ];
  for (const r of rows) {
    lines.push(
      `| ${
        [
          r.decoder,
          `${r.rotation}°`,
          `${r.read} / ${r.total}`,
          `${(r.readRate * 100).toFixed(1)} %`,
          r.msPerImage.toFixed(2),
          ...sets.map((s) => String(r.readBySet[s] ?? 0)),
        ].join(" | ")
      } |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const t0 = performance.now();
  const rows = await benchDecoders();
  console.log(formatTable(rows));
  console.log();
  console.log(formatEmptyFrameTable(await benchEmptyFrames()));
  console.log(
    `\n${navigator.hardwareConcurrency} CPU(s), Deno ${Deno.version.deno}, ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s in all`,
  );
}
