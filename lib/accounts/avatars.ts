// Avatars: an uploaded picture (PNG, JPEG, WebP or GIF, at most 5 MiB) is turned upright,
// cropped to a centred square of 256 px and stored as WebP in the same store as attachments.
// It is served only to signed-in users who may see its owner (./avatars route): themselves,
// people who share a conversation with them, and, while the directory lists everyone, anyone.
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import type { FileStorage } from '../storage';
import { ACCOUNT_LIMITS, type DirectoryVisibility, type UserDto } from '../protocol';
import { toUserDto } from '../chat/users';
import { allowedMimeType } from '../chat/attachments';

const AVATAR_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);
/** Decoding bombs: a small file that unpacks to a huge bitmap is refused before it is decoded. */
const MAX_INPUT_PIXELS = 40_000_000;

export const avatarUrlOf = (userId: string, storageKey: string) => `/api/users/${userId}/avatar?v=${storageKey.slice(-8)}`;

/** The square picture, or 415 when the bytes are not an image of an allowed type. */
export async function cropAvatar(bytes: Buffer, declaredType: string): Promise<Buffer> {
  const type = allowedMimeType(declaredType);
  if (!type || !AVATAR_TYPES.has(type)) throw new AppError('unsupported_media_type', 'An avatar must be a PNG, JPEG, WebP or GIF image.');
  if (bytes.length === 0) throw new AppError('bad_request', 'The image is empty.');
  try {
    const size = ACCOUNT_LIMITS.avatarPixels;
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(size, size, { fit: 'cover', position: 'centre' })
      .webp({ quality: 85 })
      .toBuffer();
  } catch {
    throw new AppError('unsupported_media_type', 'That file is not an image we can read.');
  }
}

/** Stores a new avatar and points the user at it; the previous one is removed from storage. */
export async function setAvatar(db: Db, storage: FileStorage, userId: string, bytes: Buffer, declaredType: string): Promise<UserDto> {
  const square = await cropAvatar(bytes, declaredType);
  const storageKey = `avatars/${userId}/${randomUUID()}.webp`;
  await storage.put(storageKey, square, { contentType: 'image/webp', size: square.length });
  const before = await db.user.findUnique({ where: { id: userId }, select: { avatarKey: true, isActive: true } });
  if (!before?.isActive) {
    await storage.delete(storageKey);
    throw new AppError('unauthorized');
  }
  const user = await db.user.update({ where: { id: userId }, data: { avatarKey: storageKey, avatarUrl: avatarUrlOf(userId, storageKey) } });
  if (before.avatarKey) await storage.delete(before.avatarKey).catch(() => undefined);
  return toUserDto(user, userId);
}

export async function removeAvatar(db: Db, storage: FileStorage, userId: string): Promise<UserDto> {
  const before = await db.user.findUnique({ where: { id: userId }, select: { avatarKey: true } });
  const user = await db.user.update({ where: { id: userId }, data: { avatarKey: null, avatarUrl: null } });
  if (before?.avatarKey) await storage.delete(before.avatarKey).catch(() => undefined);
  return toUserDto(user, userId);
}

/**
 * The storage key of a user's avatar if the viewer may see it, else not_found (as for an
 * attachment, nothing tells an outsider whether the user or picture exists).
 */
export async function avatarKeyForViewer(db: Db, userId: string, viewerId: string, visibility: DirectoryVisibility): Promise<string> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { avatarKey: true, isActive: true } });
  const notFound = new AppError('not_found', 'Avatar not found.');
  if (!user?.avatarKey) throw notFound;
  if (userId === viewerId) return user.avatarKey;
  if (visibility === 'everyone' && user.isActive) return user.avatarKey;
  const shared = await db.participant.findFirst({
    where: { userId, conversation: { participants: { some: { userId: viewerId } } } },
    select: { conversationId: true },
  });
  if (!shared) throw notFound;
  return user.avatarKey;
}
