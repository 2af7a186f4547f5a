// Starts the whole server (Next.js + /chat) on a random loopback port against a fresh database.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '@/lib/config';
import { createServer, type ChatServer, type ServerDeps } from '@/server/app';
import { createTestDatabase } from './database';

export type TestServer = ChatServer & { url: string; config: Config };

export async function startTestServer(
  options: { web?: boolean; env?: Record<string, string>; push?: ServerDeps['push'] } = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'chat-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    PRESENCE_GRACE_MS: '300',
    ...options.env,
  });
  const database = await createTestDatabase();
  const server = await createServer({ config, database, web: options.web === false ? false : { dev: false }, push: options.push });
  const url = await server.listen(0, '127.0.0.1');
  return { ...server, url, config };
}
