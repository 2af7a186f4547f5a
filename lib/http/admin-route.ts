// The wrapper of every /api/admin route: a signed-in user, the admin budget, then the server-admin
// check (lib/admin/server-admin.ts) before anything else. Anyone who is not an admin gets 404.
import { requireServerAdmin } from '../admin/server-admin';
import { authedRoute, type AuthedArgs } from './route';

type Result = Awaited<ReturnType<Parameters<typeof authedRoute>[1]>>;

export function adminRoute(handler: (args: AuthedArgs) => Promise<Result>) {
  return authedRoute({ budget: 'admin' }, async (args) => {
    await requireServerAdmin(args.ctx.db, args.ctx.config, args.userId);
    return handler(args);
  });
}
