import { publicRoute } from '@/lib/http/route';
import { publicServerInfo } from '@/lib/admin/settings';

// What anyone may know: the server's name and whether it takes sign-ups.
export const GET = publicRoute(async ({ ctx }) => ({ body: await publicServerInfo(ctx.db) }));
