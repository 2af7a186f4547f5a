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

  it('has a visible tab while any socket does not report hidden', async () => {
    const store = new MemoryPresenceStore();
    await store.addSocket('a', 's1');
    await store.addSocket('a', 's2');
    await store.addSocket('b', 's3');
    expect(await store.visibleAmong(['a', 'b', 'nobody'])).toEqual(new Set(['a', 'b']));
    await store.setHidden('a', 's1', true);
    expect(await store.visibleAmong(['a'])).toEqual(new Set(['a']));
    await store.setHidden('a', 's2', true);
    await store.setHidden('b', 's3', true);
    expect(await store.visibleAmong(['a', 'b'])).toEqual(new Set());
    // Back in front; and a closed hidden socket is forgotten with it.
    await store.setHidden('a', 's2', false);
    expect(await store.visibleAmong(['a'])).toEqual(new Set(['a']));
    await store.removeSocket('b', 's3');
    await store.addSocket('b', 's3');
    expect(await store.visibleAmong(['b'])).toEqual(new Set(['b']));
    // Another user's socket id, or one never opened, changes nothing.
    await store.setHidden('b', 's1', true);
    await store.setHidden('c', 's9', true);
    expect(await store.visibleAmong(['a', 'b', 'c'])).toEqual(new Set(['a', 'b']));
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
