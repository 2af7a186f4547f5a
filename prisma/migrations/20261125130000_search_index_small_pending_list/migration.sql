-- Hand-written: the search index goes back to GIN's pending list, kept small. Taking every entry
-- at once (fastupdate = off, the previous migration) made the index a third of the database's
-- work per message: 228 against 156 µs of machine CPU (npm run bench:send-path). With the default
-- 4 MB list, though, one unlucky insert merged it all (240 ms). At 64 kB, the smallest allowed,
-- each merge is small enough that batch writes stay near their usual time, and a search reads at
-- most 64 kB of unmerged entries (docs/performance.md). Prisma's schema has no word for these
-- storage parameters.
ALTER INDEX "Message_searchVector_idx" SET (fastupdate = on, gin_pending_list_limit = 64);
