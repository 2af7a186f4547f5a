// The order of messages is the server's `seq`: 1, 2, 3… per conversation, given when a message is
// stored (the order history, catch-up and receipts use too). Ids are identities, not an order.
// Receipt cursors are seqs as well: a reader whose cursor is at seq 7 has read every message up
// to 7.


/** Whether a cursor (a seq, or null for "nothing yet") is at or after the message at `seq`. */
export function cursorCovers(cursor: number | null | undefined, seq: number): boolean {
  return cursor != null && cursor >= seq;
}

/** The later of two cursors. */
export function laterCursor(a: number | null, b: number | null): number | null {
  if (a == null) return b;
  if (b == null) return a;
  return Math.max(a, b);
}
