// What counts as one emoji reaction, for the server's validation and the browser alike: exactly
// one grapheme (a flag, a skin-toned or ZWJ family sequence, a keycap count as one) that is a
// pictograph, a flag or a keycap, and short enough to store. Intl.Segmenter splits graphemes.

/** UTF-16 code units: the longest standard sequences (tag flags, families) fit with room. */
export const EMOJI_MAX_LENGTH = 32;

const PICTURE = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
// Matching control characters is the point of this pattern.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u001F\u007F\s]/;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function isSingleEmoji(value: string): boolean {
  if (value.length === 0 || value.length > EMOJI_MAX_LENGTH || CONTROL_OR_SPACE.test(value) || !PICTURE.test(value)) return false;
  let count = 0;
  for (const _ of graphemes.segment(value)) if (++count > 1) return false;
  return count === 1;
}
