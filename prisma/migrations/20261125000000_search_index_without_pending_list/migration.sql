-- Hand-written: the search index takes each message as it is written instead of through GIN's
-- pending list. With the list, inserts are cheaper until it fills, then one unlucky insert
-- merges it all: under a steady 2000 messages/s, batch writes grew from 11 to 26 ms on average
-- and peaked at 240 ms; without it they stay at 8-12 ms, peaking near 30 ms
-- (docs/performance.md). Prisma's schema has no word for this storage parameter.
ALTER INDEX "Message_searchVector_idx" SET (fastupdate = off);
