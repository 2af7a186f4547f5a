// What the page needs to know about an uploaded image before it loads: its size as shown (EXIF
// orientation applied), so the conversation reserves the space and nothing jumps; and for a large
// picture, a smaller rendition (WebP) the conversation shows instead of megabytes of original.
// Made with sharp from the stored bytes, so both upload paths (streamed and direct to S3) get it.
import sharp from 'sharp';
import type { FileStorage } from '../storage';

/** The longest edge of a thumbnail, in pixels: sharp on a 2× screen for a bubble at most ~400 px wide. */
export const THUMBNAIL_EDGE = 800;
/** Images smaller than this (bytes) and no larger than the thumbnail are shown as they are. */
const THUMBNAIL_ABOVE_BYTES = 200 * 1024;
/** Decompression bombs: a few KB of PNG can claim gigapixels. Such images get no facts. */
const MAX_INPUT_PIXELS = 50_000_000;

export type ImageFacts = { width: number; height: number; thumbnailKey: string | null };

export const thumbnailKeyOf = (storageKey: string) => `${storageKey}.thumb`;

/**
 * The image's facts, making and storing its thumbnail when it is large. null when the bytes do
 * not decode (the signature matched, the rest did not): it is still sent, shown as the browser can.
 */
export async function describeImage(storage: FileStorage, stored: { storageKey: string; mimeType: string; size: number }): Promise<ImageFacts | null> {
  const object = await storage.get(stored.storageKey);
  if (!object) return null;
  const bytes = Buffer.concat(await object.body.toArray());
  let width: number;
  let height: number;
  let pages: number;
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    ({ width, height } = meta.autoOrient);
    pages = meta.pages ?? 1;
  } catch {
    return null;
  }
  if (!width || !height) return null;
  const large = Math.max(width, height) > THUMBNAIL_EDGE || stored.size > THUMBNAIL_ABOVE_BYTES;
  // An animation keeps its original: a still thumbnail would stop it.
  if (!large || pages > 1) return { width, height, thumbnailKey: null };
  const thumbnail = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
    .autoOrient()
    .resize({ width: THUMBNAIL_EDGE, height: THUMBNAIL_EDGE, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
  // A small image whose bytes are many (a huge PNG of a screenshot) still gains; one that would not, keeps its original.
  if (thumbnail.length >= stored.size) return { width, height, thumbnailKey: null };
  const thumbnailKey = thumbnailKeyOf(stored.storageKey);
  await storage.put(thumbnailKey, thumbnail, { contentType: 'image/webp', size: thumbnail.length });
  return { width, height, thumbnailKey };
}
