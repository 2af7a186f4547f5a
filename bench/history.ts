// `npm run bench:history -- [flags]`: history paging and search on one conversation of a million
// messages, bulk-inserted with generate_series (not through the API). Times the core's own
// functions in process (listMessages, searchMessages: what the REST routes call, without HTTP).
//
//   --setup postgres|pglite   (default postgres)
//   --messages 1000000        size of the conversation
//   --samples 300             timed calls per case (after 20 of warm-up)
//   --wait-idle 120           wait up to this many seconds for an idle machine before each case
//
// Each search case is also checked against the plain query (every match, newest first): the
// figures only count if the answers are the same.
import { parseArgs } from 'node:util';
import type { Db } from '@/lib/db/open';
import { listMessages } from '@/lib/chat/messages';
import { searchMessages, toPrefixQuery } from '@/lib/chat/search';
import { createBenchDatabase, HISTORY_WORDS, seedHistory, seedUsersAndRooms } from './seed';
import { machineTicks, waitForQuiet, watchdog } from './proc';
import { ms, percentiles } from './stats';

const { values: flags } = parseArgs({
  options: {
    setup: { type: 'string', default: 'postgres' },
    messages: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '300' },
    'wait-idle': { type: 'string', default: '0' },
  },
});
watchdog(30 * 60_000, 'bench:history');
const SAMPLES = Number(flags.samples);
const WAIT_IDLE_MS = Number(flags['wait-idle']) * 1000;

/** The plain query: every match, newest first, whatever plan PostgreSQL picks. */
async function reference(db: Db, conversationId: string, words: string): Promise<string[]> {
  const tsquery = toPrefixQuery(words)!;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Message"
    WHERE "conversationId" = ${conversationId}::uuid AND "deletedAt" IS NULL AND "searchVector" @@ to_tsquery('simple', ${tsquery})
    ORDER BY seq DESC LIMIT 50`;
  return rows.map((row) => row.id);
}

async function time(label: string, call: (i: number) => Promise<unknown>): Promise<string> {
  if (WAIT_IDLE_MS && !(await waitForQuiet(WAIT_IDLE_MS))) console.warn(`${label}: the machine stayed busy; measuring anyway`);
  for (let i = 0; i < 20; i += 1) await call(i);
  const before = machineTicks();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    await call(i);
    samples.push(performance.now() - started);
  }
  const after = machineTicks();
  const busy = ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * 100;
  const [p50, p95, p99, max] = percentiles(samples).map(ms);
  return `${label} p50 ${p50} p95 ${p95} p99 ${p99} max ${max} ms (machine ${busy.toFixed(0)}% busy)`;
}

async function main() {
  const setup = flags.setup as 'postgres' | 'pglite';
  const count = Number(flags.messages);
  const database = await createBenchDatabase(setup, 4);
  const handle = await database.open();
  const db: Db = handle.db;
  try {
    const [alice, bob] = await seedUsersAndRooms(handle, 2, 2);
    const conversationId = alice!.conversationId;
    const started = performance.now();
    await seedHistory(handle, conversationId, [alice!.id, bob!.id], count);
    const seeded = (performance.now() - started) / 1000;

    // Cursors spread over the whole history, and some from its oldest end.
    const cursors = (await db.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text AS id FROM "Message" ORDER BY random() LIMIT ${SAMPLES + 20}`)).map((r) => r.id);
    const oldest = (await db.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text AS id FROM "Message" ORDER BY seq LIMIT ${SAMPLES + 20} OFFSET 100`)).map((r) => r.id);
    const newest = (await db.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text AS id FROM "Message" ORDER BY seq DESC LIMIT ${SAMPLES + 20} OFFSET 200`)).map((r) => r.id);
    const token = (await db.$queryRawUnsafe<{ content: string }[]>(`SELECT content FROM "Message" ORDER BY random() LIMIT ${SAMPLES + 20}`)).map((r) => r.content.split(' ').at(-1)!);
    const page = { limit: 50 };
    const searches = [HISTORY_WORDS[3]!, `${HISTORY_WORDS[0]} ${HISTORY_WORDS[1]}`, 'zul', token[0]!, 'nothingmatchesthis'];
    for (const words of searches) {
      const got = (await searchMessages(db, alice!.id, conversationId, words)).map((m) => m.id);
      const expected = await reference(db, conversationId, words);
      if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`search "${words}" differs from the plain query`);
    }
    const lines = [
      await time('page newest', () => listMessages(db, alice!.id, conversationId, page)),
      await time('page before random cursor', (i) => listMessages(db, alice!.id, conversationId, { ...page, before: cursors[i]! })),
      await time('page before oldest cursors', (i) => listMessages(db, alice!.id, conversationId, { ...page, before: oldest[i]! })),
      await time('page after recent cursor', (i) => listMessages(db, alice!.id, conversationId, { ...page, after: newest[i]! })),
      await time('search one word (1 in 26)', (i) => searchMessages(db, alice!.id, conversationId, HISTORY_WORDS[i % 26]!)),
      await time('search two words (1 in 676)', (i) => searchMessages(db, alice!.id, conversationId, `${HISTORY_WORDS[i % 26]} ${HISTORY_WORDS[(i * 7) % 26]}`)),
      await time('search prefix "zul"', () => searchMessages(db, alice!.id, conversationId, 'zul')),
      await time('search unique token (1 match)', (i) => searchMessages(db, alice!.id, conversationId, token[i]!)),
      await time('search no match', () => searchMessages(db, alice!.id, conversationId, 'nothingmatchesthis')),
    ];
    console.log(`setup=${setup} messages=${count} samples=${SAMPLES} seeded in ${seeded.toFixed(0)}s`);
    for (const line of lines) console.log(`  ${line}`);
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
