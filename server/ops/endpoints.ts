// The operator's endpoints, answered by the custom server before Next.js: GET /healthz (the
// process is alive and its event loop turns), GET /readyz (server/ops/readiness.ts), and
// GET /metrics in Prometheus text format — on the app's port only with METRICS_TOKEN as a bearer
// token, and/or on a port of its own (METRICS_PORT) without one.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Config } from '@/lib/config';
import { getMetrics } from '@/lib/observability/metrics';
import type { Readiness } from './readiness';

type Deps = { config: Config; readiness: () => Promise<Readiness> };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

async function sendMetrics(res: ServerResponse): Promise<void> {
  const { registry } = getMetrics();
  const text = await registry.metrics();
  res.statusCode = 200;
  res.setHeader('content-type', registry.contentType);
  res.setHeader('cache-control', 'no-store');
  res.end(text);
}

function bearerMatches(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Answers an operator's request and returns true; false leaves the request to the app. */
export function answerOpsRequest(req: IncomingMessage, res: ServerResponse, { config, readiness }: Deps): boolean {
  const pathname = (req.url ?? '/').split('?', 1)[0]!;
  if (!OPS_PATHS.has(pathname)) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendJson(res, 405, { error: { code: 'bad_request', message: 'Use GET.' } });
    return true;
  }
  const failed = (error: unknown) => {
    if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'Something went wrong.' } });
    else res.destroy(error instanceof Error ? error : undefined);
  };
  if (pathname === '/healthz') {
    sendJson(res, 200, { status: 'ok' });
  } else if (pathname === '/readyz') {
    readiness().then(
      (state) => sendJson(res, state.ready ? 200 : 503, state.ready ? { status: 'ready', checks: state.checks } : { status: 'unavailable', failed: state.failed, checks: state.checks }),
      failed,
    );
  } else if (!config.metrics.token) {
    // Not exposed on the app's port: either a metrics port is configured, or metrics are off.
    sendJson(res, 404, { error: { code: 'not_found', message: 'Not found.' } });
  } else if (!bearerMatches(req, config.metrics.token)) {
    res.setHeader('www-authenticate', 'Bearer realm="metrics"');
    sendJson(res, 401, { error: { code: 'unauthorized', message: 'Sign in to continue.' } });
  } else {
    sendMetrics(res).catch(failed);
  }
  return true;
}

/** The separate metrics listener (METRICS_PORT): /metrics, and /healthz for its own probe. */
export function createMetricsServer(): Server {
  return createHttpServer((req, res) => {
    const pathname = (req.url ?? '/').split('?', 1)[0];
    if (req.method === 'GET' && pathname === '/metrics') {
      sendMetrics(res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
      return;
    }
    sendJson(res, 404, { error: { code: 'not_found', message: 'Not found.' } });
  });
}
