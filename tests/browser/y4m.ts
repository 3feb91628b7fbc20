/**
 * Renders a QR code into a YUV4MPEG2 (.y4m) video, the format Chromium's fake
 * camera reads (`--use-file-for-fake-video-capture=FILE.y4m`). Each frame
 * draws the code at a slightly different scale and position on a grey
 * background with pixel noise, so the decoder works on camera-like input.
 * Format: https://wiki.multimedia.cx/index.php/YUV4MPEG2 (C420jpeg: Y plane, then U and V at half resolution).
 */
import qrcode from "qrcode-generator";
import { seededRandom } from "@/lib/seed/random.ts";

export interface Y4mOptions {
  width?: number;
  height?: number;
  frames?: number;
  /** Frames per second written in the header. */
  fps?: number;
  /** Module size in pixels of the first frame. */
  moduleSize?: number;
  /** Maximum ± noise added to each luma sample (0–255 scale). */
  noise?: number;
  /** Deterministic seed for the noise. */
  seed?: number;
}

/** Returns the bytes of a .y4m video showing the QR code of `text`. */
export function qrY4m(text: string, opts: Y4mOptions = {}): Uint8Array {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const frames = opts.frames ?? 20;
  const fps = opts.fps ?? 10;
  const noise = opts.noise ?? 24;
  const rand = seededRandom(opts.seed ?? 42);
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const header = new TextEncoder().encode(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frameHeader = new TextEncoder().encode("FRAME\n");
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const out = new Uint8Array(header.length + frames * (frameHeader.length + ySize + 2 * cSize));
  out.set(header, 0);
  let o = header.length;
  for (let f = 0; f < frames; f++) {
    out.set(frameHeader, o);
    o += frameHeader.length;
    const base = opts.moduleSize ?? Math.floor(Math.min(width, height) * 0.7 / (n + 8));
    const mod = Math.max(2, base + ((f % 3) - 1)); // 3 sizes: the "camera" moves a little
    const size = (n + 8) * mod; // with a 4-module quiet zone
    const x0 = Math.floor((width - size) / 2) + ((f % 5) - 2) * 3;
    const y0 = Math.floor((height - size) / 2) + ((f % 4) - 2) * 3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let v = 120; // grey desk
        const qx = x - x0, qy = y - y0;
        if (qx >= 0 && qy >= 0 && qx < size && qy < size) {
          const mx = Math.floor(qx / mod) - 4, my = Math.floor(qy / mod) - 4;
          const dark = mx >= 0 && my >= 0 && mx < n && my < n && qr.isDark(my, mx);
          v = dark ? 30 : 225;
        }
        v += Math.round((rand() * 2 - 1) * noise);
        out[o + y * width + x] = Math.max(0, Math.min(255, v));
      }
    }
    o += ySize;
    out.fill(128, o, o + 2 * cSize); // neutral chroma
    o += 2 * cSize;
  }
  return out;
}
