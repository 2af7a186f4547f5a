// Pure updates of one conversation's cached history (React Query infinite data). Pages are kept
// as the server sent them: pages[0] is the newest page, each page is oldest-first (by seq). Live
// and caught-up messages go into pages[0] at their seq; every update dedupes by id and by the
// sender's clientId.
import type { InfiniteData } from '@tanstack/react-query';
import { LIMITS, type MessageDto, type MessagePage } from '../protocol';

export type MessagePages = InfiniteData<MessagePage, string | null>;

/** All loaded messages, oldest first. */
export function flattenPages(data: MessagePages | undefined): MessageDto[] {
  if (!data) return [];
  const out: MessageDto[] = [];
  for (let i = data.pages.length - 1; i >= 0; i -= 1) out.push(...data.pages[i]!.messages);
  return out;
}

/** The newest seq held (0 for a history known to be empty), the cursor catch-up continues from. */
export function newestSeq(data: MessagePages | undefined): number | null {
  if (!data) return null;
  const first = data.pages[0]?.messages;
  return first?.length ? first[first.length - 1]!.seq : 0;
}

function sameMessage(a: MessageDto, b: MessageDto): boolean {
  return a.id === b.id || (a.clientId != null && a.clientId === b.clientId && a.senderId === b.senderId);
}

function mapPages(data: MessagePages, fn: (messages: MessageDto[]) => MessageDto[]): MessagePages {
  let changed = false;
  const pages = data.pages.map((page) => {
    const messages = fn(page.messages);
    if (messages === page.messages) return page;
    changed = true;
    return { ...page, messages };
  });
  return changed ? { ...data, pages } : data;
}

function replaceMessage(data: MessagePages, message: MessageDto): { data: MessagePages; found: boolean } {
  let found = false;
  const replaced = mapPages(data, (messages) => {
    const index = messages.findIndex((m) => sameMessage(m, message));
    if (index < 0) return messages;
    found = true;
    const copy = messages.slice();
    copy[index] = message;
    return copy;
  });
  return { data: replaced, found };
}

/** Adds a message at its seq, or replaces the copy already held (same id or same clientId). */
export function upsertMessage(data: MessagePages | undefined, message: MessageDto): MessagePages | undefined {
  if (!data) return data;
  const replaced = replaceMessage(data, message);
  if (replaced.found) return replaced.data;

  const [newest, ...older] = data.pages;
  if (!newest) return { ...data, pages: [{ messages: [message], nextCursor: message.id, hasMore: false }] };
  const messages = newest.messages.slice();
  // Almost always the newest; walk back only as far as needed to keep seq order.
  let at = messages.length;
  while (at > 0 && messages[at - 1]!.seq > message.seq) at -= 1;
  messages.splice(at, 0, message);
  return { ...data, pages: [{ ...newest, messages }, ...older] };
}

export function upsertMessages(data: MessagePages | undefined, messages: MessageDto[]): MessagePages | undefined {
  return messages.reduce<MessagePages | undefined>((acc, m) => upsertMessage(acc, m), data);
}

/** A deleted message keeps its place and loses its content; quotes of it say so too. */
export function markMessageDeleted(
  data: MessagePages | undefined,
  messageId: string,
  at = new Date().toISOString(),
  removedByAdmin = false,
): MessagePages | undefined {
  if (!data) return data;
  return mapPages(data, (messages) => {
    let changed = false;
    const next = messages.map((m) => {
      if (m.id === messageId && !m.deletedAt) {
        changed = true;
        return { ...m, content: '', attachment: null, location: null, reactions: [], deletedAt: at, removedByAdmin };
      }
      if (m.replyTo?.id === messageId && !m.replyTo.deletedAt) {
        changed = true;
        return { ...m, replyTo: { ...m.replyTo, content: '', deletedAt: at } };
      }
      return m;
    });
    return changed ? next : messages;
  });
}

/**
 * An edit replaces the message if held (an edit of one not loaded adds nothing: it would sit in
 * the newest page away from its neighbours) and refreshes the quotes that show it.
 */
export function applyEdit(data: MessagePages | undefined, message: MessageDto): MessagePages | undefined {
  if (!data) return data;
  const updated = replaceMessage(data, message).data;
  const preview = message.content.slice(0, LIMITS.replyPreviewChars);
  return mapPages(updated, (messages) => {
    let changed = false;
    const next = messages.map((m) => {
      if (m.replyTo?.id !== message.id || m.replyTo.content === preview) return m;
      changed = true;
      return { ...m, replyTo: { ...m.replyTo, content: preview } };
    });
    return changed ? next : messages;
  });
}

export function findMessage(data: MessagePages | undefined, messageId: string): MessageDto | undefined {
  for (const page of data?.pages ?? []) {
    const found = page.messages.find((m) => m.id === messageId);
    if (found) return found;
  }
  return undefined;
}

/** Deletion and edits only move forward: keep whichever copy is further along. */
function furtherAlong(fresh: MessageDto, cached: MessageDto): MessageDto {
  if (cached.deletedAt && !fresh.deletedAt) return cached;
  if (cached.editedAt && (!fresh.editedAt || cached.editedAt > fresh.editedAt)) return cached;
  return fresh;
}

/**
 * A refetched newest page, merged with the cached one: live messages that arrived while the
 * request was under way (newer than anything it returned) are kept, not overwritten.
 */
export function mergeNewestPage(fresh: MessagePage, cached: MessagePage | undefined): MessagePage {
  if (!cached?.messages.length) return fresh;
  const held = new Map(cached.messages.map((m) => [m.id, m]));
  const messages = fresh.messages.map((m) => (held.has(m.id) ? furtherAlong(m, held.get(m.id)!) : m));
  const newestFresh = fresh.messages[fresh.messages.length - 1]?.seq;
  const known = new Set(messages.map((m) => m.id));
  const clientIds = new Set(messages.map((m) => m.clientId && `${m.senderId}:${m.clientId}`).filter(Boolean));
  for (const m of cached.messages) {
    const newer = newestFresh === undefined || m.seq > newestFresh;
    if (newer && !known.has(m.id) && !(m.clientId && clientIds.has(`${m.senderId}:${m.clientId}`))) messages.push(m);
  }
  return { ...fresh, messages };
}

/** The held message with this id, changed by `change` (the same object back: nothing changed). */
export function updateMessage(data: MessagePages | undefined, messageId: string, change: (message: MessageDto) => MessageDto): MessagePages | undefined {
  if (!data) return data;
  return mapPages(data, (messages) => {
    const index = messages.findIndex((m) => m.id === messageId);
    if (index < 0) return messages;
    const changed = change(messages[index]!);
    if (changed === messages[index]) return messages;
    const copy = messages.slice();
    copy[index] = changed;
    return copy;
  });
}

/**
 * An older page fetched outside React Query's own paging (a jump's page reaching back to a
 * message), added after the oldest held page when it continues from it (`cursor`).
 */
export function appendOlderPage(data: MessagePages | undefined, cursor: string, page: MessagePage): MessagePages | undefined {
  if (!data) return data;
  const oldest = data.pages[data.pages.length - 1];
  if (oldest?.nextCursor !== cursor) return data; // the history moved meanwhile: the loop asks again
  return { pages: [...data.pages, page], pageParams: [...data.pageParams, cursor] };
}
