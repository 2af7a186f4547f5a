// POST /api/uploads/:id/complete: checks the object a presigned PUT stored (size, type, first
// bytes) and answers 201 with the attachment, to send in a message by its id. A file that is not
// what was announced is deleted (400/415); one not uploaded yet is a 409 (PUT, then complete).
import { completeUpload } from '@/lib/chat/direct-uploads';
import { authedRoute, pathId } from '@/lib/http/route';

export const POST = authedRoute({ budget: 'uploadComplete' }, async ({ ctx, userId, params }) => {
  const attachment = await completeUpload(ctx.db, ctx.storage, userId, pathId(params, 'id'));
  return { status: 201, body: { attachment } };
});
