/**
 * The scan screen's sounds: WebAudio tones, no audio files. Browsers only let an
 * AudioContext start after a user gesture, so call `ensure()` from one (camera
 * button, manual submit, a wedge scanner's Enter).
 */
import { useRef } from "preact/hooks";

/** One beep: `ok` two short high tones, otherwise one long low tone. */
export function beep(ctx: AudioContext | null, ok: boolean): void {
  if (!ctx) return;
  try {
    if (ctx.state === "suspended") ctx.resume().catch(() => {});
    const tones = ok ? [[880, 0, 0.12], [1320, 0.14, 0.16]] : [[220, 0, 0.45]];
    for (const [freq, at, dur] of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = ok ? "sine" : "square";
      osc.frequency.value = freq;
      const t0 = ctx.currentTime + at;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(ok ? 0.3 : 0.15, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + dur);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + dur + 0.02);
    }
  } catch { /* sound is a nicety */ }
}

/** `ensure()` creates the AudioContext (from a user gesture); `play(ok)` beeps. */
export function useBeep(): { ensure: () => void; play: (ok: boolean) => void } {
  const audio = useRef<AudioContext | null>(null);
  return {
    ensure() {
      if (audio.current) return;
      try {
        const Ctor = globalThis.AudioContext ??
          (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
        if (Ctor) audio.current = new Ctor();
      } catch { /* no audio */ }
    },
    play: (ok) => beep(audio.current, ok),
  };
}
