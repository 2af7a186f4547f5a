// A voice message's waveform: the microphone levels sampled while recording (0-1 each), as a
// fixed number of bars scaled so the loudest is 100: the small array stored with the attachment
// (the server takes 8-200 whole numbers from 0 to 100).
export const WAVEFORM_BARS = 64;

export function toWaveform(levels: number[], count = WAVEFORM_BARS): number[] {
  if (levels.length === 0) return Array.from({ length: count }, () => 0);
  const bars = Array.from({ length: count }, (_, i) => {
    // Each bar the loudest of its stretch; a recording with fewer samples than bars repeats them.
    const from = Math.floor((i * levels.length) / count);
    const to = Math.max(from + 1, Math.floor(((i + 1) * levels.length) / count));
    return Math.max(...levels.slice(from, to));
  });
  const loudest = Math.max(...bars);
  if (loudest <= 0) return bars.map(() => 0);
  return bars.map((bar) => Math.min(100, Math.max(0, Math.round((bar / loudest) * 100))));
}
