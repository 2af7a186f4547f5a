// Who gets a Web Push for a new message, and what each is sent: members other than the sender,
// with no visible tab at that moment (no socket open, or every socket reports hidden), whom the
// notification policy lets through (muted, levels, mentions: ../chat/notification-policy.ts),
// on each of their browsers whose subscribing credential still counts.
import type { Db } from '../db/open';
import type { PushPayload } from '../protocol';
import { isMentioned, shouldNotify } from '../chat/notification-policy';
import { buildPushPayload } from './payload';

/** Where tabs are, across nodes (the presence store). */
export type TabPresence = {
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;
  visibleAmong(userIds: readonly string[]): Promise<Set<string>>;
};

export type PushDelivery = {
  userId: string;
  subscription: { id: string; endpoint: string; p256dh: string; auth: string };
  payload: PushPayload;
  /** Direct messages and mentions ask the push service to deliver at once. */
  urgent: boolean;
};

export type PushPlan = {
  /** Every message of the batch, in the batch's order, with its deliveries (often none). */
  deliveries: Map<string, PushDelivery[]>;
  /** Subscriptions whose session was signed out (or whose token version is old): to delete. */
  stale: string[];
};

/** The message as queued: its conversation and sender are known then. */
export type QueuedMessage = { messageId: string; conversationId: string; senderId: string };

/**
 * The pushes for a batch of messages just stored. A batch costs one query when nobody in its
 * conversations has push on, and a few more when someone has: the cost of push grows with the
 * batches, not with the messages.
 */
export async function planPushes(db: Db, presence: TabPresence, batch: readonly QueuedMessage[], now = new Date()): Promise<PushPlan> {
  const plan: PushPlan = { deliveries: new Map(batch.map((queued) => [queued.messageId, []])), stale: [] };
  if (batch.length === 0) return plan;
  // Only members with a browser subscribed can be reached at all: the rest are never looked at.
  // Most batches of a busy chat have none: one plain query says so (Prisma's nested select below
  // is three, and costs the node far more CPU).
  const conversationIds = [...new Set(batch.map((q) => q.conversationId))];
  const [reach] = await db.$queryRaw<{ reachable: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM "Participant" p JOIN "PushSubscription" s ON s."userId" = p."userId"
      WHERE p."conversationId" = ANY(${conversationIds}::uuid[])
    ) AS reachable`;
  if (!reach?.reachable) return plan;
  const members = await db.participant.findMany({
    where: { conversationId: { in: conversationIds }, user: { isActive: true, pushSubscriptions: { some: {} } } },
    select: {
      conversationId: true,
      userId: true,
      mutedUntil: true,
      notificationLevel: true,
      user: {
        select: {
          notificationLevel: true,
          notificationPreviews: true,
          tokenVersion: true,
          signedOutSessionIds: true,
          pushSubscriptions: { select: { id: true, endpoint: true, p256dh: true, auth: true, sessionId: true, tokenVersion: true } },
        },
      },
    },
  });
  const byConversation = new Map<string, typeof members>();
  for (const member of members) {
    const list = byConversation.get(member.conversationId);
    if (list) list.push(member);
    else byConversation.set(member.conversationId, [member]);
  }
  const membersOf = (queued: QueuedMessage) => (byConversation.get(queued.conversationId) ?? []).filter((member) => member.userId !== queued.senderId);
  const reachable = batch.filter((queued) => membersOf(queued).length > 0);
  if (reachable.length === 0) return plan;

  const messages = await db.message.findMany({
    where: { id: { in: reachable.map((q) => q.messageId) } },
    select: {
      id: true,
      seq: true,
      content: true,
      messageType: true,
      createdAt: true,
      deletedAt: true,
      senderId: true,
      mentionedUserIds: true,
      mentionsEveryone: true,
      threadRootId: true,
      alsoInConversation: true,
      systemEvent: true,
      sender: { select: { id: true, name: true } },
      conversation: { select: { id: true, type: true, name: true } },
    },
  });
  const byId = new Map(messages.map((message) => [message.id, message]));
  const everyoneIds = [...new Set(members.map((m) => m.userId))];
  const anyHere = messages.some((message) => message.mentionsEveryone === 'here');
  const [visible, online] = await Promise.all([presence.visibleAmong(everyoneIds), anyHere ? presence.onlineAmong(everyoneIds) : Promise.resolve(new Set<string>())]);
  // A subscription is stale once its session was signed out or its user's tokens were revoked.
  const stale = new Set<string>();

  for (const queued of reachable) {
    const message = byId.get(queued.messageId);
    // Timeline notes ("Alice added Bob") never notify (lib/chat/timeline.ts).
    if (!message || message.deletedAt || message.systemEvent !== null || message.conversation.id !== queued.conversationId) continue;
    // A reply that stays in its thread is not news for the whole conversation: it notifies only
    // whom it mentions (or the other of a one-to-one chat), as the in-page notifier decides too.
    const threadOnly = message.threadRootId !== null && !message.alsoInConversation;
    const mentions = { mentionedUserIds: message.mentionedUserIds, mentionsEveryone: message.mentionsEveryone };
    const source = { message: { ...message, seq: Number(message.seq), threadRootId: threadOnly ? message.threadRootId : null }, conversation: message.conversation, sender: message.sender };
    const deliveries = plan.deliveries.get(queued.messageId)!;
    const isDirect = message.conversation.type === 'private';

    for (const member of membersOf(queued)) {
      const { user } = member;
      const live = user.pushSubscriptions.filter((s) => s.tokenVersion === user.tokenVersion && !(s.sessionId && user.signedOutSessionIds.includes(s.sessionId)));
      for (const s of user.pushSubscriptions) if (!live.includes(s)) stale.add(s.id);
      if (live.length === 0 || visible.has(member.userId)) continue;
      const mentioned = isMentioned(mentions, member.userId, online.has(member.userId));
      if (threadOnly && !isDirect && !mentioned) continue;
      const notify = shouldNotify({
        conversationLevel: member.notificationLevel,
        defaultLevel: user.notificationLevel,
        muted: member.mutedUntil !== null && member.mutedUntil > now,
        isDirect,
        mentioned,
        isSender: false,
      });
      if (!notify) continue;
      const payload = buildPushPayload(source, user.notificationPreviews);
      for (const s of live) deliveries.push({ userId: member.userId, subscription: { id: s.id, endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth }, payload, urgent: isDirect || mentioned });
    }
  }
  plan.stale.push(...stale);
  return plan;
}
