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
  deliveries: PushDelivery[];
  /** Subscriptions whose session was signed out (or whose token version is old): to delete. */
  stale: string[];
};

const NONE: PushPlan = { deliveries: [], stale: [] };

/** The message as queued: its conversation and sender are known then, so most messages (nobody there has push on) cost one query. */
export type QueuedMessage = { messageId: string; conversationId: string; senderId: string };

export async function planPushes(db: Db, presence: TabPresence, queued: QueuedMessage, now = new Date()): Promise<PushPlan> {
  // Only members with a browser subscribed can be reached at all: the rest are never looked at.
  const members = await db.participant.findMany({
    where: { conversationId: queued.conversationId, userId: { not: queued.senderId }, user: { isActive: true, pushSubscriptions: { some: {} } } },
    select: {
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
  if (members.length === 0) return NONE;

  const message = await db.message.findUnique({
    where: { id: queued.messageId },
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
  // Timeline notes ("Alice added Bob") never notify (lib/chat/timeline.ts).
  if (!message || message.deletedAt || message.systemEvent !== null || message.conversation.id !== queued.conversationId) return NONE;
  // A reply that stays in its thread is not news for the whole conversation: it notifies only
  // whom it mentions (or the other of a one-to-one chat), as the in-page notifier decides too.
  const threadOnly = message.threadRootId !== null && !message.alsoInConversation;

  const ids = members.map((m) => m.userId);
  const [visible, online] = await Promise.all([presence.visibleAmong(ids), message.mentionsEveryone === 'here' ? presence.onlineAmong(ids) : Promise.resolve(new Set<string>())]);
  const mentions = { mentionedUserIds: message.mentionedUserIds, mentionsEveryone: message.mentionsEveryone };
  const source = { message: { ...message, seq: Number(message.seq), threadRootId: threadOnly ? message.threadRootId : null }, conversation: message.conversation, sender: message.sender };
  const plan: PushPlan = { deliveries: [], stale: [] };

  for (const member of members) {
    const { user } = member;
    const live = user.pushSubscriptions.filter((s) => s.tokenVersion === user.tokenVersion && !(s.sessionId && user.signedOutSessionIds.includes(s.sessionId)));
    plan.stale.push(...user.pushSubscriptions.filter((s) => !live.includes(s)).map((s) => s.id));
    if (live.length === 0 || visible.has(member.userId)) continue;
    const mentioned = isMentioned(mentions, member.userId, online.has(member.userId));
    const isDirect = message.conversation.type === 'private';
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
    for (const s of live) plan.deliveries.push({ userId: member.userId, subscription: { id: s.id, endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth }, payload, urgent: isDirect || mentioned });
  }
  return plan;
}
