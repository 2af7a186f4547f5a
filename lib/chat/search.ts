// Full-text search within a conversation: every word of the query as a word prefix, newest
// (highest seq) first, deleted messages never. PostgreSQL full-text search with the 'simple'
// configuration (see the init migration's trigger), so it works the same for any language.
import type { Db } from '../db/open';
import { LIMITS, type MessageDto } from '../protocol';
import { toMessageDto } from './dto';
import { requireParticipant } from './membership';
import { messageRowsInOrder } from './message-rows';

/**
 * Words of a search, as prefixes, for to_tsquery. Only letters and digits survive, so any user
 * input is safe and never a tsquery syntax error.
 */
export function toPrefixQuery(input: string): string | null {
  const words = input.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
  return words.length ? words.map((word) => `${word}:*`).join(' & ') : null;
}

/** How many of the newest messages search walks in order, first, then when that found a few. */
const SEARCH_SHORT_WALK = 2_000;
const SEARCH_LONG_WALK = 50_000;

/** Up to 50 messages of a conversation matching every word (as a prefix), newest first. */
export async function searchMessages(db: Db, userId: string, conversationId: string, query: string): Promise<MessageDto[]> {
  await requireParticipant(db, conversationId, userId);
  const tsquery = toPrefixQuery(query);
  if (!tsquery) return [];
  // PostgreSQL cannot tell how rare a prefix is, so it cannot choose between walking the newest
  // messages in order (fast unless the words are rare: the walk stops at a page of hits) and the
  // full-text index (fast for rare words, slow for common prefixes). So: walk the newest few
  // thousand (the whole conversation, if small); a few hits there mean a longer walk will fill the
  // page; none, or still too few, mean rare words, for the index (docs/performance.md).
  const page = LIMITS.searchResults;
  const first = await db.$queryRaw<{ id: string; walked: number }[]>`
    SELECT recent.id::text AS id, recent.walked FROM (
      SELECT id, seq, "deletedAt", "searchVector", (count(*) OVER ())::int AS walked FROM (
        SELECT id, seq, "deletedAt", "searchVector" FROM "Message"
        WHERE "conversationId" = ${conversationId}::uuid
        ORDER BY seq DESC
        LIMIT ${SEARCH_SHORT_WALK}
      ) newest
    ) recent
    WHERE recent."deletedAt" IS NULL AND recent."searchVector" @@ to_tsquery('simple', ${tsquery})
    ORDER BY recent.seq DESC
    LIMIT ${page}`;
  const walkedAll = first.length > 0 && first[0]!.walked < SEARCH_SHORT_WALK;
  let hits: { id: string }[] = first;
  if (first.length < page && !walkedAll) {
    if (first.length > 0) {
      hits = await db.$queryRaw<{ id: string }[]>`
        SELECT recent.id::text AS id FROM (
          SELECT id, seq, "deletedAt", "searchVector" FROM "Message"
          WHERE "conversationId" = ${conversationId}::uuid
          ORDER BY seq DESC
          LIMIT ${SEARCH_LONG_WALK}
        ) recent
        WHERE recent."deletedAt" IS NULL AND recent."searchVector" @@ to_tsquery('simple', ${tsquery})
        ORDER BY recent.seq DESC
        LIMIT ${page}`;
    }
    if (hits.length < page) {
      hits = await db.$queryRaw<{ id: string }[]>`
        WITH matches AS MATERIALIZED (
          SELECT id, seq FROM "Message"
          WHERE "searchVector" @@ to_tsquery('simple', ${tsquery})
            AND "conversationId" = ${conversationId}::uuid
            AND "deletedAt" IS NULL
        )
        SELECT matches.id::text AS id FROM matches
        ORDER BY matches.seq DESC
        LIMIT ${page}`;
    }
  }
  if (hits.length === 0) return [];
  // Timeline notes are not something anyone wrote: never a search hit.
  return (await messageRowsInOrder(db, hits.map((hit) => hit.id))).filter((row) => row.systemEvent === null).map(toMessageDto);
}
