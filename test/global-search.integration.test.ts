// GET /api/search: every conversation I am in, people and channels; keyset pages; any string
// safe; nothing of a conversation I am not (or no longer) in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMessage } from '@/lib/chat/messages';
import { removeParticipant } from '@/lib/chat/conversations';
import { LIMITS, sendMessageInput, type GlobalSearchDto } from '@/lib/protocol';
import { startTestServer, type TestServer } from './helpers/server';
import { uniqueName } from './helpers/factories';
import { api, groupChat, makeMembers, privateChat, type Member } from './helpers/chat';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const say = async (member: Member, conversationId: string, content: string) =>
  (await sendMessage(server.context.db, member.user.id, sendMessageInput.parse({ conversationId, content }))).message;
const search = async (member: Member, q: string, cursor?: string) => {
  const response = await api(server, member.token, 'GET', `/api/search?q=${encodeURIComponent(q)}${cursor ? `&cursor=${cursor}` : ''}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as GlobalSearchDto;
};

describe('search everywhere: authorization first', () => {
  it('finds nothing of conversations I am not in, nor of one after I left it', async () => {
    const [alice, bob, mallory] = await makeMembers(server, 3);
    const word = uniqueName('zebra');
    const secret = await privateChat(server, alice!, bob!);
    await say(alice!, secret.id, `${word} secret`);
    const group = await groupChat(server, alice!, [bob!, mallory!], 'Leaving soon');
    await say(alice!, group.id, `${word} before leaving`);
    expect((await search(mallory!, word)).messages.map((hit) => hit.message.content)).toEqual([`${word} before leaving`]);

    await removeParticipant(server.context.db, mallory!.user.id, group.id, mallory!.user.id);
    await say(alice!, group.id, `${word} after leaving`);
    const after = await search(mallory!, word);
    expect(after.messages).toEqual([]);
    expect(after.channels).toEqual([]);
    expect((await search(alice!, word)).messages).toHaveLength(3);
  });

  it('needs a signed-in user', async () => {
    expect((await api(server, undefined, 'GET', '/api/search?q=x')).status).toBe(401);
  });
});

describe('search everywhere', () => {
  it('finds messages of every conversation with its name, newest first, and leaves deleted ones out', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const word = uniqueName('quokka');
    const dm = await privateChat(server, alice!, bob!);
    const team = await groupChat(server, alice!, [carol!], 'Marsupials');
    const first = await say(bob!, dm.id, `a ${word} in the DM`);
    const second = await say(carol!, team.id, `the ${word.toUpperCase()} in the team`);
    const gone = await say(alice!, team.id, `${word} to delete`);
    await api(server, alice!.token, 'DELETE', `/api/messages/${gone.id}`);

    const found = await search(alice!, word.slice(0, 10));
    expect(found.messages.map((hit) => [hit.message.id, hit.conversation])).toEqual([
      [second.id, { id: team.id, name: 'Marsupials', type: 'group' }],
      [first.id, { id: dm.id, name: null, type: 'private' }],
    ]);
    expect(found.nextCursor).toBeNull();
  });

  it('pages with a keyset cursor: every match once, in order', { timeout: 60_000 }, async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const word = uniqueName('wombat');
    const dm = await privateChat(server, alice!, bob!);
    const sent = [];
    for (let i = 0; i < LIMITS.globalSearchMessages + 5; i += 1) sent.push(await say(bob!, dm.id, `${word} number ${i}`));
    const first = await search(alice!, word);
    expect(first.messages).toHaveLength(LIMITS.globalSearchMessages);
    expect(first.nextCursor).toBe(first.messages.at(-1)!.message.id);
    const second = await search(alice!, word, first.nextCursor!);
    expect(second.nextCursor).toBeNull();
    expect(second.people).toEqual([]);
    const ids = [...first.messages, ...second.messages].map((hit) => hit.message.id);
    expect(ids).toEqual(sent.map((m) => m.id).reverse());
  });

  it('takes any string safely', async () => {
    const [alice] = await makeMembers(server, 1);
    for (const q of ["'", '%', '_', '\\', "'); DROP TABLE \"Message\"; --", '&|!:*()<>', '%%%___', 'ö ☃ 👍', 'a'.repeat(LIMITS.searchQuery)]) {
      const found = await search(alice!, q);
      expect(found.messages).toEqual([]);
    }
    const bad = await api(server, alice!.token, 'GET', `/api/search?q=${encodeURIComponent('a\u0000b')}`);
    expect(bad.status).toBe(400);
    expect((await api(server, alice!.token, 'GET', '/api/search?q=x&cursor=not-an-id')).status).toBe(400);
  });

  it('finds people, my channels and public ones, never private channels I am not in; LIKE syntax is literal', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const tag = uniqueName('ch');
    const mine = await groupChat(server, alice!, [bob!], `${tag} mine`);
    const hidden = await groupChat(server, bob!, [carol!], `${tag} hidden`);
    const open = await groupChat(server, bob!, [carol!], `${tag} open`);
    await server.context.db.conversation.update({ where: { id: open.id }, data: { privacy: 'public' } });
    await groupChat(server, bob!, [carol!], `${tag}% literal`);

    const found = await search(alice!, tag);
    expect(found.channels.map((c) => [c.id, c.isMember])).toEqual([
      [mine.id, true],
      [open.id, false],
    ]);
    expect(found.channels.find((c) => c.id === open.id)).toMatchObject({ memberCount: 2, name: `${tag} open` });
    expect(JSON.stringify(found)).not.toContain(hidden.id);
    expect((await search(alice!, `${tag.slice(0, 3)}%`)).channels).toEqual([]);

    const people = await search(alice!, bob!.user.username);
    expect(people.people.map((u) => u.id)).toContain(bob!.user.id);
  });

  it('a jump to a result loads the history back to it in one page, unbroken (before + until)', { timeout: 60_000 }, async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const dm = await privateChat(server, alice!, bob!);
    const target = await say(bob!, dm.id, uniqueName('needle'));
    const later = [];
    for (let i = 0; i < 130; i += 1) later.push(await say(alice!, dm.id, `filler ${i}`));
    const newest = (await api(server, alice!.token, 'GET', `/api/conversations/${dm.id}/messages?limit=20`)).body;
    const oldestHeld = newest.messages[0].id;
    const jump = await api(server, alice!.token, 'GET', `/api/conversations/${dm.id}/messages?before=${oldestHeld}&until=${target.id}&limit=20`);
    expect(jump.status).toBe(200);
    const seqs = jump.body.messages.map((m: { seq: number }) => m.seq);
    expect(seqs[0]).toBe(target.seq);
    expect(seqs.at(-1)).toBe(newest.messages[0].seq - 1);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => target.seq + i));
    expect(jump.body.hasMore).toBe(false);
    // Someone else's message is not a target here.
    const [carol] = await makeMembers(server, 1);
    const other = await privateChat(server, alice!, carol!);
    const elsewhere = await say(carol!, other.id, 'elsewhere');
    expect((await api(server, alice!.token, 'GET', `/api/conversations/${dm.id}/messages?before=${oldestHeld}&until=${elsewhere.id}`)).status).toBe(400);
    // Nor one that is not older than the cursor: a walk back would never reach it.
    expect((await api(server, alice!.token, 'GET', `/api/conversations/${dm.id}/messages?before=${target.id}&until=${oldestHeld}`)).status).toBe(400);
  });
});
