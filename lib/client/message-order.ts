// Message ids are UUIDv7: their string order is their creation order (ties included), which is
// the order the server pages by. Comparing ids is enough to order messages and receipt cursors.

/** Negative when `a` was created before `b`. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether cursor `cursor` (a message id, or null for "nothing yet") is at or after message `id`. */
export function cursorCovers(cursor: string | null | undefined, id: string): boolean {
  return cursor != null && compareIds(cursor, id) >= 0;
}

/** The later of two cursors. */
export function laterCursor(a: string | null, b: string | null): string | null {
  if (a == null) return b;
  if (b == null) return a;
  return compareIds(a, b) >= 0 ? a : b;
}
