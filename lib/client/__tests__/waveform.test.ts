import { describe, expect, it } from 'vitest';
import { waveformSchema } from '@/lib/protocol';
import { toWaveform, WAVEFORM_BARS } from '../waveform';

describe('toWaveform', () => {
  it('makes a fixed number of bars, the loudest 100, each the loudest of its stretch', () => {
    const levels = Array.from({ length: 640 }, (_, i) => (i === 300 ? 0.8 : 0.2));
    const bars = toWaveform(levels);
    expect(bars).toHaveLength(WAVEFORM_BARS);
    expect(bars[30]).toBe(100);
    expect(bars.filter((bar) => bar === 25)).toHaveLength(WAVEFORM_BARS - 1);
  });

  it('stretches a short recording and keeps silence flat, always within what the server takes', () => {
    expect(toWaveform([0.1, 0.5])).toEqual([...Array(32).fill(20), ...Array(32).fill(100)]);
    expect(toWaveform([0, 0, 0])).toEqual(Array(WAVEFORM_BARS).fill(0));
    expect(toWaveform([])).toEqual(Array(WAVEFORM_BARS).fill(0));
    for (const levels of [[0.1, 0.5], [0, 0], Array.from({ length: 5000 }, () => Math.random())]) {
      expect(waveformSchema.safeParse(toWaveform(levels)).success).toBe(true);
    }
  });
});
