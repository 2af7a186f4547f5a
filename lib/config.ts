// All configuration, read once from the environment and typed. Nothing else reads process.env
// for settings. Secrets live here but are never logged (see `describeConfig`).
import { createECDH, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.string().url().optional());

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** The origin browsers use; next-auth redirects to it. Defaults to http://localhost:PORT. */
  NEXTAUTH_URL: optionalUrl,
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  /** Prefix of every Redis key and pub/sub channel, so several chats (or test runs) share one Redis. */
  REDIS_KEY_PREFIX: z.string().min(1).default('parley:'),
  /** With Redis: a node silent this long counts as crashed, and its users as offline. */
  PRESENCE_NODE_TTL_MS: z.coerce.number().int().min(1000).default(15000),
  /** false serves the /chat socket namespace alone, without the web app and REST (socket-only nodes, benchmarks). */
  SERVE_WEB: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true')),
  AUTH_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional()),
  DATA_DIR: z.string().default('./data'),
  S3_BUCKET: optionalString,
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: optionalUrl,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).optional()),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(25 * 1024 * 1024),
  /** The S3 endpoint as browsers reach it, for presigned uploads (defaults to S3_ENDPOINT). */
  S3_PUBLIC_ENDPOINT: optionalUrl,
  /** How long a presigned upload URL stays valid. */
  S3_PRESIGN_EXPIRES_SEC: z.coerce.number().int().min(30).max(3600).default(300),
  /** Uploads never sent in a message are removed after this many hours. */
  UPLOAD_SWEEP_AFTER_HOURS: z.coerce.number().positive().default(24),
  /** How often a node looks for such uploads (one node at a time with Redis). */
  UPLOAD_SWEEP_INTERVAL_MINUTES: z.coerce.number().positive().default(60),
  /** The longest voice message the recorder takes, in seconds. */
  VOICE_MAX_SECONDS: z.coerce.number().int().min(10).max(3600).default(600),
  TOKEN_TTL_DAYS: z.coerce.number().int().positive().max(365).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long after a user's last socket closes before they are announced offline. */
  /** Sign-in attempts per account (whichever identifier is typed), and sign-ups per client address, per minute. */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** Sign-in and sign-up attempts per client address per minute, all accounts together (default 5 × the above). */
  AUTH_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().positive().optional(),
  /** Trust X-Forwarded-For (set when running behind a reverse proxy / load balancer). */
  TRUST_PROXY: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')),
  /** Other origins whose pages may use the browser session (comma-separated), beside NEXTAUTH_URL's. */
  ALLOWED_ORIGINS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((list) => list.split(',').map((item) => item.trim()).filter(Boolean))
      .pipe(z.array(z.string().url().transform((url) => new URL(url).origin)))
      .optional(),
  ),
  /** Largest JSON (or form) body a route reads; uploads have UPLOAD_MAX_BYTES. */
  JSON_BODY_MAX_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).default(5000),
  /** Open sockets one user may have, across tabs, devices and nodes. */
  MAX_SOCKETS_PER_USER: z.coerce.number().int().positive().default(20),
  /** How long a stopping server waits for work in flight (sends, their acks) before closing anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** GET /metrics on the app's port answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional()),
  /** Serves GET /metrics (no token) on this separate port, for a scraper on a private network. */
  METRICS_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** Accounts with these e-mails are server admins (comma-separated), beside the first account. */
  ADMIN_EMAILS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((list) => list.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean))
      .optional(),
  ),
  /** SMTP server for password reset e-mails (smtp:// or smtps://); without it an admin copies the link. */
  SMTP_URL: optionalUrl,
  /** The From address of those e-mails. */
  SMTP_FROM: optionalString,
  /** Web Push (VAPID): a P-256 key pair, base64url (uncompressed public point, raw private scalar). Both or neither. */
  VAPID_PUBLIC_KEY: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{87}$/, 'VAPID_PUBLIC_KEY must be 65 bytes, base64url').optional()),
  VAPID_PRIVATE_KEY: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'VAPID_PRIVATE_KEY must be 32 bytes, base64url').optional()),
  /** Who push services may contact about this server's pushes: a mailto: or https: URL. */
  VAPID_SUBJECT: z.preprocess(
    emptyToUndefined,
    z.string().refine((s) => /^(mailto:|https:\/\/)/.test(s), 'VAPID_SUBJECT must be a mailto: or https: URL').optional(),
  ),
}).refine((e) => Boolean(e.VAPID_PUBLIC_KEY) === Boolean(e.VAPID_PRIVATE_KEY), {
  message: 'set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (a pair is then generated under DATA_DIR)',
  path: ['VAPID_PRIVATE_KEY'],
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  presenceNodeTtlMs: number;
  serveWeb: boolean;
  authSecret: string;
  /** Whether the secret was generated and kept under dataDir (no AUTH_SECRET given). */
  authSecretGenerated: boolean;
  dataDir: string;
  s3:
    | {
        bucket: string;
        region: string;
        endpoint?: string;
        /** The endpoint presigned URLs name, for browsers (S3_PUBLIC_ENDPOINT, else endpoint). */
        publicEndpoint?: string;
        accessKeyId?: string;
        secretAccessKey?: string;
        forcePathStyle: boolean;
        presignExpiresSec: number;
      }
    | undefined;
  uploadMaxBytes: number;
  /** Uploads not in a message this long are swept away. */
  uploadSweepAfterMs: number;
  uploadSweepIntervalMs: number;
  voiceMaxSeconds: number;
  tokenTtlSeconds: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  presenceGraceMs: number;
  maxSocketsPerUser: number;
  shutdownTimeoutMs: number;
  authRateLimitPerMinute: number;
  authRateLimitPerAddressPerMinute: number;
  trustProxy: boolean;
  /** Origins allowed to use the session cookie, beside the public origin. */
  allowedOrigins: string[];
  jsonBodyMaxBytes: number;
  /** Where /metrics is served: with a bearer token on the app's port, on a port of its own, or both (neither: not served). */
  metrics: { token: string | undefined; port: number | undefined; host: string };
  /** Lower-cased e-mails of accounts that are server admins whatever the database says. */
  adminEmails: string[];
  /** Password reset e-mails; undefined when no SMTP server is configured. */
  smtp: { url: string; from: string } | undefined;
  /** Web Push's VAPID identity; `generated`: kept under dataDir (no VAPID_* keys given). */
  vapid: { publicKey: string; privateKey: string; subject: string; generated: boolean };
};

export class ConfigError extends Error {}

/** Reads the secret kept under dataDir, creating it once when missing. */
function persistedSecret(dataDir: string): string {
  const file = path.join(dataDir, 'auth-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    // 'wx' fails if another process created it meanwhile; then read theirs.
    try {
      writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return readFileSync(file, 'utf8').trim();
    }
  }
}

type VapidKeys = { publicKey: string; privateKey: string };

/** The VAPID key pair kept under dataDir, created once when missing (like the auth secret). */
function persistedVapidKeys(dataDir: string): VapidKeys {
  const file = path.join(dataDir, 'vapid-keys.json');
  const read = (): VapidKeys => {
    const { publicKey, privateKey } = JSON.parse(readFileSync(file, 'utf8')) as Partial<VapidKeys>;
    if (typeof publicKey !== 'string' || typeof privateKey !== 'string') throw new ConfigError(`${file} does not hold a VAPID key pair`);
    return { publicKey, privateKey };
  };
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    mkdirSync(dataDir, { recursive: true });
    // What web-push's generateVAPIDKeys does: a P-256 pair, the public point uncompressed.
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const scalar = ecdh.getPrivateKey();
    const privateKey = Buffer.concat([Buffer.alloc(32 - scalar.length), scalar]).toString('base64url');
    const keys = { publicKey: ecdh.getPublicKey('base64url'), privateKey };
    try {
      writeFileSync(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
      return keys;
    } catch {
      return read();
    }
  }
}

/** The VAPID subject when none is set: the public origin when it is https, else a placeholder address. */
function defaultVapidSubject(publicUrl: string | undefined): string {
  if (publicUrl && new URL(publicUrl).protocol === 'https:') return new URL(publicUrl).origin;
  return 'mailto:webmaster@localhost';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const authSecret = e.AUTH_SECRET ?? persistedSecret(dataDir);
  const vapidKeys = e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY } : persistedVapidKeys(dataDir);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.NEXTAUTH_URL,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    presenceNodeTtlMs: e.PRESENCE_NODE_TTL_MS,
    serveWeb: e.SERVE_WEB === 'true',
    authSecret,
    authSecretGenerated: !e.AUTH_SECRET,
    dataDir,
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          endpoint: e.S3_ENDPOINT,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true' || Boolean(e.S3_ENDPOINT),
          publicEndpoint: e.S3_PUBLIC_ENDPOINT ?? e.S3_ENDPOINT,
          presignExpiresSec: e.S3_PRESIGN_EXPIRES_SEC,
        }
      : undefined,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    uploadSweepAfterMs: e.UPLOAD_SWEEP_AFTER_HOURS * 60 * 60 * 1000,
    uploadSweepIntervalMs: e.UPLOAD_SWEEP_INTERVAL_MINUTES * 60 * 1000,
    voiceMaxSeconds: e.VOICE_MAX_SECONDS,
    tokenTtlSeconds: e.TOKEN_TTL_DAYS * 24 * 60 * 60,
    logLevel: e.LOG_LEVEL,
    presenceGraceMs: e.PRESENCE_GRACE_MS,
    maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    authRateLimitPerAddressPerMinute: e.AUTH_RATE_LIMIT_PER_ADDRESS_PER_MINUTE ?? 5 * e.AUTH_RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY === 'true',
    allowedOrigins: e.ALLOWED_ORIGINS ?? [],
    jsonBodyMaxBytes: e.JSON_BODY_MAX_BYTES,
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT, host: e.METRICS_HOST },
    adminEmails: e.ADMIN_EMAILS ?? [],
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM ?? `Parley <no-reply@${new URL(e.SMTP_URL).hostname}>` } : undefined,
    vapid: { ...vapidKeys, subject: e.VAPID_SUBJECT ?? defaultVapidSubject(e.NEXTAUTH_URL), generated: !e.VAPID_PUBLIC_KEY },
  };
}

/** What may be logged about the configuration: which backends, never credentials. */
export function describeConfig(config: Config) {
  return {
    env: config.env,
    port: config.port,
    database: config.databaseUrl ? `postgresql (${new URL(config.databaseUrl).host})` : `pglite (${path.join(config.dataDir, 'pglite')})`,
    realtime: config.redisUrl ? `redis (${new URL(config.redisUrl).host})` : 'in-memory (single node)',
    storage: config.s3 ? `s3 (${config.s3.bucket})` : `local disk (${path.join(config.dataDir, 'uploads')})`,
    metrics: [config.metrics.token && '/metrics with a bearer token', config.metrics.port !== undefined && `/metrics on ${config.metrics.host}:${config.metrics.port}`].filter(Boolean).join(', ') || 'not served',
    mail: config.smtp ? `smtp (${new URL(config.smtp.url).host})` : 'none (admins copy reset links)',
    authSecretSource: config.authSecretGenerated ? `generated, kept in ${path.join(config.dataDir, 'auth-secret')}` : 'from AUTH_SECRET',
    vapidKeySource: config.vapid.generated ? `generated, kept in ${path.join(config.dataDir, 'vapid-keys.json')}` : 'from VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY',
  };
}

const globalForConfig = globalThis as typeof globalThis & { __chatConfig?: Config };

/** The process-wide configuration, read on first use. */
export function getConfig(): Config {
  globalForConfig.__chatConfig ??= loadConfig();
  return globalForConfig.__chatConfig;
}
