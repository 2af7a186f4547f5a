// The one wrapper every REST route handler goes through: context, authentication, input parsing
// and the error table. Handlers stay thin: parse, authorize, call a service, emit.
import { NextResponse, type NextRequest } from 'next/server';
import { type z } from 'zod';
import { getAppContext, type AppContext } from '../context';
import { AppError, statusOf, toErrorBody } from '../errors';
import { readCredential } from '../auth/tokens';
import { userForCredential } from '../auth/sessions';
import { spend, type BudgetAction } from '../chat/budgets';
import { idSchema } from '../protocol';
import { parseInput } from '../validation';
import { readBodyText, requireJsonContentType } from './body-limit';
import { getMetrics } from '../observability/metrics';

export { parseInput };

type Params = Record<string, string>;
type RouteContext = { params: Promise<Params> };
type Result = Response | { status?: number; body: unknown };

export type PublicArgs = { req: NextRequest; ctx: AppContext; params: Params };
export type AuthedArgs = PublicArgs & {
  userId: string;
  /** The credential's browser session (null for a bearer token) and token version (lib/auth/sessions.ts). */
  session: { sessionId: string | null; tokenVersion: number };
};

export function publicRoute(handler: (args: PublicArgs) => Promise<Result>) {
  return async (req: NextRequest, route: RouteContext) => {
    let ctx: AppContext | undefined;
    try {
      ctx = getAppContext();
      return toResponse(await handler({ req, ctx, params: await route.params }));
    } catch (error) {
      return errorResponse(error, ctx, req);
    }
  };
}

export type AuthedOptions = {
  /** The user's budget this route spends, one point per request (lib/chat/budgets.ts). */
  budget: BudgetAction;
};

/** A route for signed-in users: the session cookie or `Authorization: Bearer`. */
export function authedRoute(options: AuthedOptions, handler: (args: AuthedArgs) => Promise<Result>) {
  return publicRoute(async (args) => {
    const { userId, session } = await authenticateCredential(args.req, args.ctx);
    await spend(args.ctx.budgets, userId, options.budget);
    return handler({ ...args, userId, session });
  });
}

/** The user a request's credential names, if it still counts (token version, signed-out sessions). */
export async function authenticateRequest(req: NextRequest, ctx: AppContext): Promise<string> {
  return (await authenticateCredential(req, ctx)).userId;
}

async function authenticateCredential(req: NextRequest, ctx: AppContext): Promise<Pick<AuthedArgs, 'userId' | 'session'>> {
  const credential = await readCredential({ headers: Object.fromEntries(req.headers) }, ctx.config.authSecret);
  const user = await userForCredential(ctx.db, credential);
  if (!user || !credential) throw new AppError('unauthorized');
  return { userId: user.id, session: { sessionId: credential.sessionId, tokenVersion: credential.version } };
}

/** The JSON body: declared as JSON (415 otherwise) and within JSON_BODY_MAX_BYTES (413). */
export async function readJson(req: NextRequest): Promise<unknown> {
  requireJsonContentType(req.headers.get('content-type'));
  const text = await readBodyText(req.body, getAppContext().config.jsonBodyMaxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'The body must be JSON.');
  }
}

export async function parseJson<S extends z.ZodType>(req: NextRequest, schema: S): Promise<z.output<S>> {
  return parseInput(schema, await readJson(req));
}

export function parseQuery<S extends z.ZodType>(req: NextRequest, schema: S): z.output<S> {
  return parseInput(schema, Object.fromEntries(req.nextUrl.searchParams));
}

/** A path id; one that is not even well-formed names nothing, so it is a 404 like any unknown id. */
export function pathId(params: Params, name: string): string {
  const value = params[name];
  if (!value || !idSchema.safeParse(value).success) throw new AppError('not_found');
  return value;
}

function toResponse(result: Result): Response {
  if (result instanceof Response) return result;
  return NextResponse.json(result.body, { status: result.status ?? 200 });
}

function errorResponse(error: unknown, ctx: AppContext | undefined, req: NextRequest): Response {
  const status = statusOf(error);
  if (status >= 500) {
    if (ctx) ctx.logger.error({ err: error, path: req.nextUrl.pathname }, 'request failed');
    else console.error(error);
  }
  const body = toErrorBody(error);
  getMetrics().errors.inc({ code: body.code, source: 'http' });
  // Every 429 says when to come back.
  const headers = body.retryAfterSec ? { 'retry-after': String(body.retryAfterSec) } : undefined;
  return NextResponse.json({ error: body }, { status, headers });
}
