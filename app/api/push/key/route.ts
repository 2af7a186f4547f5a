import { authedRoute } from '@/lib/http/route';

/** The server's VAPID public key: the browser's `pushManager.subscribe` needs it. */
export const GET = authedRoute({ budget: 'read' }, async ({ ctx }) => ({ body: { publicKey: ctx.config.vapid.publicKey } }));
