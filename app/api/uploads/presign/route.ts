// POST /api/uploads/presign { fileName, mimeType, size, durationSec?, waveform? }: with S3, a
// presigned PUT for exactly this file (type and length signed, valid S3_PRESIGN_EXPIRES_SEC) and
// the upload's id; then POST /api/uploads/:id/complete. 404 without S3 (use POST /api/uploads).
import { currentUploadLimit } from '@/lib/admin/settings';
import { presignUpload } from '@/lib/chat/direct-uploads';
import { authedRoute, parseJson } from '@/lib/http/route';
import { presignUploadSchema } from '@/lib/protocol';

export const POST = authedRoute({ budget: 'upload' }, async ({ req, ctx, userId }) => {
  const input = await parseJson(req, presignUploadSchema);
  // The admin's setting, never above UPLOAD_MAX_BYTES: the same limit as the streamed upload.
  const upload = await presignUpload(ctx.db, ctx.storage, userId, input, { maxBytes: await currentUploadLimit(ctx.db, ctx.config) });
  return { status: 201, body: upload };
});
