import { describe, expect, it } from 'vitest';
import { toPrefixQuery } from '@/lib/chat/search';
import { privatePairKey } from '@/lib/chat/conversations';
import { sendMessageInput, createConversationInput } from '@/lib/protocol';

describe('toPrefixQuery', () => {
  it('keeps only letters and digits, as prefixes joined by AND', () => {
    expect(toPrefixQuery('Deploy GREEN')).toBe('deploy:* & green:*');
    expect(toPrefixQuery("'); DROP TABLE x; --")).toBe('drop:* & table:* & x:*');
    expect(toPrefixQuery('日本語 ünï')).toBe('日本語:* & ünï:*');
    expect(toPrefixQuery(':* & | ! ()')).toBeNull();
  });

  it('caps the number of words', () => {
    expect(toPrefixQuery('a b c d e f g h i j k')?.split(' & ')).toHaveLength(8);
  });
});

describe('privatePairKey', () => {
  it('is the same whichever user creates the conversation', () => {
    expect(privatePairKey('b', 'a')).toBe(privatePairKey('a', 'b'));
  });
});

describe('input schemas', () => {
  const id = '01900000-0000-7000-8000-000000000000';
  it('needs content, an attachment or a location in a message', () => {
    expect(sendMessageInput.safeParse({ conversationId: id, content: '   ' }).success).toBe(false);
    expect(sendMessageInput.safeParse({ conversationId: id, content: '', attachmentId: id, messageType: 'file' }).success).toBe(true);
    expect(sendMessageInput.safeParse({ conversationId: id, messageType: 'location', location: { latitude: 1, longitude: 2 } }).success).toBe(true);
    expect(sendMessageInput.safeParse({ conversationId: id, content: 'x', location: { latitude: 1, longitude: 2 } }).success).toBe(false);
    expect(sendMessageInput.safeParse({ conversationId: id, messageType: 'location', location: { latitude: 91, longitude: 2 } }).success).toBe(false);
  });

  it('takes exactly one other person in a private conversation', () => {
    expect(createConversationInput.safeParse({ type: 'private', participantIds: [id, id] }).success).toBe(false);
    expect(createConversationInput.safeParse({ type: 'private', participantIds: [id] }).success).toBe(true);
    expect(createConversationInput.safeParse({ type: 'group', participantIds: Array(257).fill(id) }).success).toBe(false);
  });
});
