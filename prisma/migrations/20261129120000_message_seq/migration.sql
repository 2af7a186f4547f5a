-- Hand-written: every message gets its place in its conversation, `seq` (1, 2, 3… with no gaps),
-- which orders history, catch-up, search, receipts and unread counts instead of (createdAt, id):
-- the batch writer gave a whole batch one createdAt, so messages sent together came back in
-- random order. The conversation's "lastSeq" is the counter; receipts become seq cursors.
-- Existing rows are numbered in their old (createdAt, id) order, so nothing moves.

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "lastSeq" BIGINT NOT NULL DEFAULT 0;

-- AlterTable: nullable until the backfill has numbered every row
ALTER TABLE "Message" ADD COLUMN "seq" BIGINT;

-- Backfill: number the messages of each conversation in (createdAt, id) order. The search
-- trigger fires only on content, so this leaves the search vector alone.
UPDATE "Message" m SET "seq" = numbered.seq
FROM (
  SELECT id, row_number() OVER (PARTITION BY "conversationId" ORDER BY "createdAt", id) AS seq FROM "Message"
) numbered
WHERE m.id = numbered.id;

ALTER TABLE "Message" ALTER COLUMN "seq" SET NOT NULL;

-- Backfill: each conversation's counter is its highest seq.
UPDATE "Conversation" c SET "lastSeq" = counted.seq
FROM (SELECT "conversationId", max("seq") AS seq FROM "Message" GROUP BY "conversationId") counted
WHERE c.id = counted."conversationId";

-- AlterTable
ALTER TABLE "Participant" ADD COLUMN "lastReadSeq" BIGINT,
ADD COLUMN "lastDeliveredSeq" BIGINT;

-- Backfill: the receipt cursors take the seq of the message they name.
UPDATE "Participant" p SET "lastReadSeq" = m."seq"
FROM "Message" m WHERE m.id = p."lastReadMessageId" AND m."conversationId" = p."conversationId";
UPDATE "Participant" p SET "lastDeliveredSeq" = m."seq"
FROM "Message" m WHERE m.id = p."lastDeliveredMessageId" AND m."conversationId" = p."conversationId";

-- AlterTable: the cursors' creation times ordered them before; seq does now.
ALTER TABLE "Participant" DROP COLUMN "lastDeliveredMessageAt",
DROP COLUMN "lastReadMessageAt";

-- DropIndex: paging is by seq now
DROP INDEX "Message_conversationId_createdAt_id_idx";

-- CreateIndex
CREATE UNIQUE INDEX "Message_conversationId_seq_key" ON "Message"("conversationId", "seq");
