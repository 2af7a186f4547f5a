import { describe, expect, it } from 'vitest';
import { MemoryPresenceStore, MemoryTypingStore } from '@/lib/realtime/memory-stores';

describe('MemoryPresenceStore', () => {
  it('is online from the first socket until the last closes', async () => {
    const store = new MemoryPresenceStore();
    expect(await store.addSocket('u1', 's1')).toBe(true);
    expect(await store.addSocket('u1', 's2')).toBe(false);
    expect(await store.removeSocket('u1', 's1')).toBe(false);
    expect(await store.isOnline('u1')).toBe(true);
    expect(await store.removeSocket('u1', 's2')).toBe(true);
    expect(await store.isOnline('u1')).toBe(false);
    expect(await store.removeSocket('u1', 's2')).toBe(false);
  });

  it('answers which of a set of users are online', async () => {
    const store = new MemoryPresenceStore();
    await store.addSocket('a', 's1');
    await store.addSocket('c', 's2');
    expect(await store.onlineAmong(['a', 'b', 'c'])).toEqual(new Set(['a', 'c']));
  });
});

describe('MemoryTypingStore', () => {
  it('starts once, stops once, and forgets after the ttl', async () => {
    const store = new MemoryTypingStore();
    expect(await store.start('c1', 'u1', 1000)).toBe(true);
    expect(await store.start('c1', 'u1', 1000)).toBe(false);
    expect(await store.typingIn('c1')).toEqual(['u1']);
    expect(await store.stop('c1', 'u1')).toBe(true);
    expect(await store.stop('c1', 'u1')).toBe(false);
    await store.start('c1', 'u2', 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await store.typingIn('c1')).toEqual([]);
    expect(await store.start('c1', 'u2', 1000)).toBe(true);
  });
});
