// Several server processes serving one chat: a fresh PostgreSQL database they share, and nodes
// started as real child processes (`tsx server/index.ts`), so one can be killed like a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '@/lib/db/open';
import { applyMigrations } from '@/lib/db/migrator';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export type SharedDatabase = DatabaseHandle & { url: string };

/** A new, migrated database on the PostgreSQL server (nodes then find nothing to migrate); dropped on close. */
export async function createSharedDatabase(): Promise<SharedDatabase> {
  const name = `cluster_${randomUUID().replace(/-/g, '')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  await applyMigrations(handle.adapterFactory);
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export type NodeProcess = {
  url: string;
  child: ChildProcess;
  /** What the process printed (for failure messages). */
  output(): string;
  /** Ends the process with the signal and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/** Starts `tsx server/index.ts` with the environment given; resolves once it answers HTTP. */
export async function startNode(env: Record<string, string>, readyTimeoutMs = 45_000): Promise<NodeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'chat-node-')),
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const node: NodeProcess = {
    url,
    child,
    output: () => printed,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode} before listening:\n${printed}`);
    try {
      await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { signal: AbortSignal.timeout(1000) });
      return node;
    } catch {
      if (Date.now() > deadline) {
        await node.stop('SIGKILL');
        throw new Error(`node did not listen within ${readyTimeoutMs} ms:\n${printed}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
