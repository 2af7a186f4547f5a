// When stored files go away. A deleted message takes its file (and thumbnail) with it; uploads
// never sent in a message, and direct uploads never completed, are swept once they are older
// than UPLOAD_SWEEP_AFTER_HOURS; the sweep also takes the file of any deleted message still
// holding one (a delete whose file removal failed, or a path that deleted without it). The row goes first, then the bytes: a row never points at
// nothing, and bytes whose delete failed are logged, not left behind unnoticed.
import type { Db } from '../db/open';
import type { Logger } from '../logger';
import type { FileStorage } from '../storage';
import { discardFile } from './attachments';

type Stored = { storageKey: string; thumbnailKey?: string | null };

async function removeBytes(storage: FileStorage, stored: Stored, logger?: Logger): Promise<void> {
  for (const key of [stored.storageKey, stored.thumbnailKey]) {
    if (!key) continue;
    await storage.delete(key).catch((error: unknown) => logger?.warn({ err: error, storageKey: key }, 'a stored file could not be deleted'));
  }
}

/**
 * Takes a deleted message's attachment out of storage: the message lets go of it, the row goes,
 * then the bytes. Every path that deletes a message (its author, a moderator) calls this.
 */
export async function removeMessageAttachment(db: Db, storage: FileStorage, messageId: string, logger?: Logger): Promise<void> {
  const message = await db.message.findUnique({ where: { id: messageId }, select: { attachment: { select: { id: true, storageKey: true, thumbnailKey: true } } } });
  const attachment = message?.attachment;
  if (!attachment) return;
  await db.message.update({ where: { id: messageId }, data: { attachmentId: null } });
  await db.attachment.deleteMany({ where: { id: attachment.id } });
  await removeBytes(storage, attachment, logger);
}

export type SweepResult = { attachments: number; pendingUploads: number; ofDeletedMessages: number };

/** How many rows one pass takes at a time. */
const SWEEP_BATCH = 200;

/**
 * Removes uploads older than `olderThan` that no message carries, and direct uploads never
 * completed. An upload sent in a message meanwhile is kept: the delete re-checks in the database.
 */
export async function sweepUploads(db: Db, storage: FileStorage, olderThan: Date, logger?: Logger): Promise<SweepResult> {
  const result: SweepResult = { attachments: 0, pendingUploads: 0, ofDeletedMessages: 0 };
  for (;;) {
    const deleted = await db.message.findMany({ where: { deletedAt: { not: null }, attachmentId: { not: null } }, select: { id: true }, take: SWEEP_BATCH });
    for (const message of deleted) {
      await removeMessageAttachment(db, storage, message.id, logger);
      result.ofDeletedMessages += 1;
    }
    if (deleted.length < SWEEP_BATCH) break;
  }
  for (;;) {
    const orphans = await db.attachment.findMany({
      where: { createdAt: { lt: olderThan }, message: { is: null } },
      select: { id: true, storageKey: true, thumbnailKey: true },
      take: SWEEP_BATCH,
    });
    for (const orphan of orphans) {
      const { count } = await db.attachment.deleteMany({ where: { id: orphan.id, message: { is: null } } });
      if (count === 0) continue; // sent meanwhile
      await removeBytes(storage, orphan, logger);
      result.attachments += 1;
    }
    if (orphans.length < SWEEP_BATCH) break;
  }
  for (;;) {
    const stale = await db.pendingUpload.findMany({ where: { createdAt: { lt: olderThan } }, select: { id: true, storageKey: true }, take: SWEEP_BATCH });
    for (const upload of stale) {
      const { count } = await db.pendingUpload.deleteMany({ where: { id: upload.id } });
      if (count === 0) continue; // completed meanwhile
      await discardFile(storage, upload);
      result.pendingUploads += 1;
    }
    if (stale.length < SWEEP_BATCH) break;
  }
  return result;
}
