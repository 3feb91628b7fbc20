/**
 * Avatars drawn here (pngjs, nothing downloaded): the initials of a name in a
 * 5×7 pixel font, white on a coloured circle, on a transparent square PNG.
 * Used by the psychologist seed and tests.
 */
import { PNG } from "pngjs";

/** 5×7 glyphs of A–Z, rows top to bottom, `#` = ink. */
const GLYPHS: Record<string, string[]> = {
  A: [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
  B: ["####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."],
  C: [".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."],
  D: ["####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."],
  E: ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
  F: ["#####", "#....", "#....", "####.", "#....", "#....", "#...."],
  G: [".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"],
  H: ["#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
  I: [".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."],
  J: ["..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."],
  K: ["#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"],
  L: ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
  M: ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"],
  N: ["#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"],
  O: [".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
  P: ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
  Q: [".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"],
  R: ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
  S: [".####", "#....", "#....", ".###.", "....#", "....#", "####."],
  T: ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."],
  U: ["#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
  V: ["#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."],
  W: ["#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."],
  X: ["#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"],
  Y: ["#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."],
  Z: ["#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"],
};

/** Up to two initials of `name` (letters A–Z after folding accents), e.g. "Sari Wulandari" → "SW". */
export function initialsOf(name: string): string {
  const words = name.split(",")[0].normalize("NFD").replace(/[\u0300-\u036f]/g, "").toUpperCase()
    .split(/\s+/).map((w) => w.replace(/[^A-Z]/g, "")).filter(Boolean);
  const picked = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return picked.map((w) => w[0]).join("") || "?";
}

/**
 * A `size`×`size` PNG: a circle of colour `rgb` with `initials` (A–Z; others are
 * skipped) in white, centred.
 */
export function drawAvatar(initials: string, rgb: readonly [number, number, number], size = 256): Uint8Array {
  const png = new PNG({ width: size, height: size });
  const r = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const d = Math.hypot(x + 0.5 - r, y + 0.5 - r);
      const inside = d <= r - 1;
      png.data[i] = rgb[0];
      png.data[i + 1] = rgb[1];
      png.data[i + 2] = rgb[2];
      png.data[i + 3] = inside ? 255 : d <= r ? 128 : 0;
    }
  }
  const letters = [...initials].filter((c) => GLYPHS[c]);
  const scale = Math.floor(size / (letters.length * 6 + 4));
  const width = letters.length * 6 * scale - scale;
  const x0 = Math.round((size - width) / 2);
  const y0 = Math.round((size - 7 * scale) / 2);
  letters.forEach((c, n) => {
    GLYPHS[c].forEach((row, gy) => {
      for (let gx = 0; gx < 5; gx++) {
        if (row[gx] !== "#") continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const px = x0 + (n * 6 + gx) * scale + dx;
            const py = y0 + gy * scale + dy;
            const i = (py * size + px) * 4;
            png.data[i] = 255;
            png.data[i + 1] = 255;
            png.data[i + 2] = 255;
            png.data[i + 3] = 255;
          }
        }
      }
    });
  });
  return new Uint8Array(PNG.sync.write(png));
}
