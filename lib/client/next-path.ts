// Where to go after signing in or up: a path on this site named by `?next=` (an invite link, a
// deep link to a conversation), never another site.
export function safeNextPath(next: string | null | undefined): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : null;
}

/** `path` with `?next=` carried over, when there is one. */
export function withNext(path: string, next: string | null | undefined): string {
  const safe = safeNextPath(next);
  return safe ? `${path}?next=${encodeURIComponent(safe)}` : path;
}
