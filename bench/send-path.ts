// `npm run bench:send-path -- [flags]`: the cost of persisting one message, in process, without
// sockets: the core's sendMessage next to candidate rewrites of its SQL, so a proposal for the
// core path comes with figures. Reports throughput, latency and CPU per message of this process
// (Prisma, the driver, and PGlite itself when embedded) and of the whole machine (PostgreSQL too).
//
//   --setup pglite|postgres   (default postgres)
//   --count 4000              messages per variant (after 500 of warm-up)
//   --concurrency 32          sends in flight
//   --variants core,prisma-calls,one-statement,one-statement-no-touch
//   --seed-sql "<SQL>"        run on the database after seeding (to try a schema change)
//
// core is lib/chat/messages.ts sendMessage as it is (batched); prisma-calls is what it did before
// (five statements, and one more for the seq); one-statement is the single unbatched statement,
// with and without moving the conversation's last activity (both take the next seq).
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db/open';
import { sendMessage } from '@/lib/chat/messages';
import { createBenchDatabase, seedUsersAndRooms, type BenchUser } from './seed';
import { machineTicks, watchdog } from './proc';
import { ms, percentiles } from './stats';

const { values: flags } = parseArgs({
  options: {
    setup: { type: 'string', default: 'postgres' },
    count: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '32' },
    variants: { type: 'string', default: 'core,prisma-calls,one-statement,one-statement-no-touch' },
    'seed-sql': { type: 'string' },
  },
});
watchdog(10 * 60_000, 'bench:send-path');

type Send = (db: Db, user: BenchUser, content: string) => Promise<unknown>;

/** Membership, sender and conversation, the insert and last activity: one statement, one round trip. */
function oneStatement(touch: boolean): Send {
  return async (db, user, content) => {
    const id = randomUUID();
    const rows = touch
      ? await db.$queryRaw<unknown[]>`
        WITH member AS (
          SELECT u.id, u.username, u.name, u."avatarUrl", c.name AS "conversationName", c.type::text AS "conversationType"
          FROM "Participant" p JOIN "User" u ON u.id = p."userId" JOIN "Conversation" c ON c.id = p."conversationId"
          WHERE p."conversationId" = ${user.conversationId}::uuid AND p."userId" = ${user.id}::uuid
        ), touched AS (
          -- Takes the next seq and moves last activity in one update (the message is checked at the statement's end).
          UPDATE "Conversation" c SET "lastSeq" = c."lastSeq" + 1, "lastMessageId" = ${id}::uuid, "lastActivityAt" = now(), "updatedAt" = now()
          FROM member WHERE c.id = ${user.conversationId}::uuid
          RETURNING c."lastSeq"
        ), inserted AS (
          INSERT INTO "Message" (id, seq, "conversationId", "senderId", content, "messageType", "clientId", "createdAt")
          SELECT ${id}::uuid, touched."lastSeq", ${user.conversationId}::uuid, member.id, ${content}, 'text', ${id}, now() FROM member, touched
          RETURNING id, "createdAt"
        )
        SELECT member.*, inserted.id AS "messageId", inserted."createdAt" FROM member LEFT JOIN inserted ON true`
      : await db.$queryRaw<unknown[]>`
        WITH member AS (
          SELECT u.id, u.username, u.name, u."avatarUrl", c.name AS "conversationName", c.type::text AS "conversationType"
          FROM "Participant" p JOIN "User" u ON u.id = p."userId" JOIN "Conversation" c ON c.id = p."conversationId"
          WHERE p."conversationId" = ${user.conversationId}::uuid AND p."userId" = ${user.id}::uuid
        ), numbered AS (
          UPDATE "Conversation" c SET "lastSeq" = c."lastSeq" + 1 FROM member WHERE c.id = ${user.conversationId}::uuid RETURNING c."lastSeq"
        ), inserted AS (
          INSERT INTO "Message" (id, seq, "conversationId", "senderId", content, "messageType", "clientId", "createdAt")
          SELECT ${id}::uuid, numbered."lastSeq", ${user.conversationId}::uuid, member.id, ${content}, 'text', ${id}, now() FROM member, numbered
          RETURNING id, "createdAt"
        )
        SELECT member.*, inserted.id AS "messageId", inserted."createdAt" FROM member LEFT JOIN inserted ON true`;
    if (rows.length !== 1) throw new Error('not a member');
    return rows[0];
  };
}

/** What sendMessage did before batching: Prisma calls, six statements per message (with the seq). */
const prismaCalls: Send = async (db, user, content) => {
  const membership = await db.participant.findUnique({
    where: { conversationId_userId: { conversationId: user.conversationId, userId: user.id } },
    select: { conversation: { select: { id: true, name: true, type: true } }, user: { select: { id: true, username: true, name: true, avatarUrl: true } } },
  });
  if (!membership) throw new Error('not a member');
  const { lastSeq: seq } = await db.conversation.update({ where: { id: user.conversationId }, data: { lastSeq: { increment: 1 } }, select: { lastSeq: true } });
  const created = await db.message.create({ data: { conversationId: user.conversationId, seq, senderId: user.id, content, messageType: 'text', clientId: randomUUID() } });
  await db.conversation.updateMany({
    where: { id: user.conversationId, lastActivityAt: { lte: created.createdAt } },
    data: { lastMessageId: created.id, lastActivityAt: created.createdAt },
  });
  return created;
};

const VARIANTS: Record<string, Send> = {
  core: (db, user, content) => sendMessage(db, user.id, { conversationId: user.conversationId, content, messageType: 'text', clientId: randomUUID() }),
  'prisma-calls': prismaCalls,
  'one-statement': oneStatement(true),
  'one-statement-no-touch': oneStatement(false),
};

async function measure(db: Db, users: BenchUser[], send: Send, count: number, concurrency: number) {
  const content = 'The quick brown fox jumps over the lazy dog while the team ships another release on time.';
  let next = 0;
  const latencies: number[] = [];
  const runAll = async (total: number, record: boolean) => {
    next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const user = users[next++ % users.length]!;
          const started = performance.now();
          await send(db, user, content);
          if (record) latencies.push(performance.now() - started);
        }
      }),
    );
  };
  await runAll(500, false);
  const cpu = process.cpuUsage();
  const machine = machineTicks();
  const started = performance.now();
  await runAll(count, true);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const after = machineTicks();
  const machineCoreSeconds = ((after.busy - machine.busy) / 100);
  return {
    perSecond: count / seconds,
    latency: percentiles(latencies),
    processCpuUs: (used.user + used.system) / count,
    machineCpuUs: (machineCoreSeconds * 1e6) / count,
  };
}

async function main() {
  const setup = flags.setup as 'pglite' | 'postgres';
  const database = await createBenchDatabase(setup);
  const handle = await database.open();
  try {
    const users = await seedUsersAndRooms(handle, 1000, 10);
    if (flags['seed-sql']) await handle.db.$executeRawUnsafe(flags['seed-sql']);
    for (const name of flags.variants.split(',')) {
      const send = VARIANTS[name];
      if (!send) throw new Error(`unknown variant ${name}`);
      const r = await measure(handle.db, users, send, Number(flags.count), Number(flags.concurrency));
      const [p50, p95, p99] = r.latency.map(ms);
      console.log(
        `setup=${setup} variant=${name} concurrency=${flags.concurrency} | ${r.perSecond.toFixed(0)} msg/s | latency p50 ${p50} p95 ${p95} p99 ${p99} ms | cpu/msg process ${r.processCpuUs.toFixed(0)} µs, machine ${r.machineCpuUs.toFixed(0)} µs`,
      );
    }
  } finally {
    await handle.close();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
