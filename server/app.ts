// Builds the whole server: one HTTP server hosting the Next.js app and the `/chat` Socket.IO
// namespace. server/index.ts only reads config and listens; tests call createServer directly.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import next from 'next';
import { Server as SocketServer } from 'socket.io';
import type { Config } from '@/lib/config';
import type { DatabaseHandle } from '@/lib/db/open';
import { createLogger, type Logger } from '@/lib/logger';
import { setAppContext, type AppContext } from '@/lib/context';
import { silentNotifier } from '@/lib/chat/notifier';
import { createStorage } from '@/lib/storage';
import { createBudgets } from '@/lib/chat/budgets';
import { createSignInLimits } from '@/lib/auth/sign-in-limits';
import { drainMessageWriter } from '@/lib/chat/message-writer';
import { startUploadSweeper, type UploadSweeper } from '@/lib/chat/upload-sweeper';
import { createPushDispatcher, type PushDispatcher, type PushRetryPolicy } from '@/lib/push/dispatcher';
import { createPushSender } from '@/lib/push/sender';
import { createRealtimeBackend } from './realtime/backend';
import { CLIENT_IP_HEADER } from '@/lib/http/rate-limit';
import { screenRequest } from '@/lib/http/screen';
import { attachRealtime } from './realtime';
import type { ChatServerIO } from './realtime/types';
import { inLogScope, requestIdFrom } from '@/lib/observability/request-scope';
import { answerOpsRequest, createMetricsServer } from './ops/endpoints';
import { createReadiness } from './ops/readiness';
import { getMetrics } from '@/lib/observability/metrics';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

export type ServerDeps = {
  config: Config;
  database: DatabaseHandle;
  logger?: Logger;
  /** Serve the Next.js app (dev mode compiles on demand; otherwise the `next build` output). */
  web?: { dev: boolean } | false;
  /** Web Push: the TLS agent for push services (tests trust a loopback service with it), retry timings. */
  push?: { agent?: HttpsAgent; retry?: Partial<PushRetryPolicy> };
};

export type ChatServer = {
  context: AppContext;
  io: ChatServerIO;
  /** Removes uploads never sent in a message (on a schedule; tests call sweepNow). */
  uploadSweeper: UploadSweeper;
  /** Web Push: queues a message's pushes; its events say what this node sent. */
  push: PushDispatcher;
  /** Resolves to the origin served, e.g. http://127.0.0.1:43123. Starts the metrics port too (METRICS_PORT). */
  listen(port?: number, host?: string): Promise<string>;
  /** Where the separate metrics listener answers, once listening (undefined without METRICS_PORT). */
  metricsOrigin(): string | undefined;
  /**
   * Stops taking connections and events, lets the work in flight finish and answer (sends
   * committed are acknowledged), then closes sockets, the web app and the database. Bounded by
   * SHUTDOWN_TIMEOUT_MS: past it, what is still running is cut off.
   */
  close(): Promise<void>;
};

/** How long an idle keep-alive connection stays open (see where it is set). */
const KEEP_ALIVE_MS = 65_000;

export async function createServer(deps: ServerDeps): Promise<ChatServer> {
  const { config, database } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const backend = await createRealtimeBackend(config, logger);
  const context: AppContext = {
    config,
    db: database.db,
    logger,
    notifier: silentNotifier,
    signInLimits: createSignInLimits(backend.limiter, config),
    storage: createStorage(config),
    budgets: createBudgets(backend.limiter),
  };

  const web = deps.web === false ? null : next({ dev: deps.web?.dev ?? false, dir: PROJECT_ROOT, quiet: true });
  if (web) await web.prepare();
  const handleWeb = web?.getRequestHandler();
  const handleUpgrade = web?.getUpgradeHandler();

  // Process metrics (event-loop lag, GC) are sampled from the start, not from the first scrape.
  getMetrics();
  let stopping = false;
  const ops = {
    config,
    readiness: createReadiness({ db: database.db, logger, pingRedis: backend.pingRedis, stopping: () => stopping }),
  };
  const metricsServer = config.metrics.port === undefined ? null : createMetricsServer();
  let metricsOrigin: string | undefined;

  /** Requests being answered: a shutdown lets them finish. */
  const answering = new Set<ServerResponse>();
  const http = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    answering.add(res);
    res.once('close', () => answering.delete(res));
    // Every log line written while answering carries this id; the client (or proxy) sees it too.
    const reqId = requestIdFrom(config.trustProxy ? req.headers['x-request-id'] : undefined);
    res.setHeader('x-request-id', reqId);
    inLogScope({ reqId }, () => answer(req, res));
  });
  // Idle keep-alive connections stay open longer than proxies keep theirs (60 s is common: nginx,
  // cloud load balancers). With Node's 5 s, a request sent on a connection just as the server
  // closes it fails (ECONNRESET, a 502 at the proxy); e2e saw it after a 5 s pause.
  http.keepAliveTimeout = KEEP_ALIVE_MS;
  http.headersTimeout = KEEP_ALIVE_MS + 1_000;

  function answer(req: IncomingMessage, res: ServerResponse): void {
    // Route handlers rate-limit by this header; never trust a client-sent copy.
    const forwarded = config.trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim() : '';
    req.headers[CLIENT_IP_HEADER] = forwarded || req.socket.remoteAddress || 'unknown';
    // Security headers; oversized bodies and cross-site uses of the session cookie refused.
    if (!screenRequest(req, res, config, { dev: deps.web ? deps.web.dev : false })) return;
    // /healthz, /readyz, /metrics: answered here, with or without the web app.
    if (answerOpsRequest(req, res, ops)) return;
    if (!handleWeb) {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'Not found.' } }));
      return;
    }
    handleWeb(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'web request failed');
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  }

  const io: ChatServerIO = new SocketServer(http, {
    // Other upgrades (Next's dev HMR socket) are handed to Next below.
    destroyUpgrade: false,
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 1_000_000,
  });
  if (handleUpgrade) {
    http.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/socket.io/')) return;
      handleUpgrade(req, socket, head).catch(() => socket.destroy());
    });
  }

  backend.attach(io);
  const push = createPushDispatcher({
    db: database.db,
    logger,
    queue: backend.pushQueue,
    presence: backend.presence,
    send: createPushSender({ vapid: config.vapid, agent: deps.push?.agent }),
    retry: deps.push?.retry,
  });
  push.events.on('settled', ({ outcome }) => getMetrics().pushSends.inc({ outcome }));
  push.events.on('retrying', ({ kind }) => {
    if (kind === 'send') getMetrics().pushSends.inc({ outcome: 'retry' });
  });
  const realtime = attachRealtime(io, context, backend, push);
  push.start();
  context.notifier = realtime.notifier;

  setAppContext(context);

  const uploadSweeper = startUploadSweeper({ db: database.db, storage: context.storage, config, logger, runExclusive: backend.runExclusive });

  async function shutDown(): Promise<void> {
    // /readyz answers 503 from now on: a proxy checking it stops sending this node new work.
    stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, config.shutdownTimeoutMs);
    });
    const within = (work: Promise<unknown>) => Promise.race([work, deadline]);
    // 1. No new connections (the port closes, idle keep-alive connections too), no new events.
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeIdleConnections();
    const handlersDone = realtime.stopEvents(deadline);
    // 2. Sends already taken are written now, not after the batch writer's pause.
    await within(drainMessageWriter(database.db)).catch((error: unknown) => logger.error({ err: error }, 'shutdown: draining the message writer failed'));
    // 3. Socket handlers and REST requests in flight finish: their acks, answers and broadcasts go out.
    await handlersDone;
    await within(Promise.all([...answering].map((res) => new Promise((resolve) => res.once('close', resolve)))));
    // 4. Connections close once what was written to them has gone out; then the rest.
    await realtime.closeConnections(deadline);
    // Pushes being sent finish; queued ones wait for the next start (or another node, with Redis).
    await push.stop(deadline);
    clearTimeout(timer);
    await uploadSweeper.stop();
    // Every answer has gone out: what is left are idle keep-alive connections, which would hold
    // the port's close (io.close closes it too) for up to KEEP_ALIVE_MS.
    http.closeAllConnections();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    realtime.close();
    await backend.close();
    await stopped;
    if (metricsServer?.listening) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
    await web?.close();
    setAppContext(undefined);
    await database.close();
  }

  let closing: Promise<void> | undefined;
  return {
    context,
    io,
    uploadSweeper,
    push,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const address = http.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          const origin = `http://${shownHost}:${address.port}`;
          // next-auth builds its redirects from NEXTAUTH_URL: it must be the origin served.
          process.env.NEXTAUTH_URL = config.publicUrl ?? origin;
          if (!metricsServer) return resolve(origin);
          metricsServer.once('error', reject);
          metricsServer.listen(config.metrics.port, config.metrics.host, () => {
            metricsOrigin = `http://${config.metrics.host}:${(metricsServer.address() as AddressInfo).port}`;
            resolve(origin);
          });
        });
      });
    },
    metricsOrigin: () => metricsOrigin,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
