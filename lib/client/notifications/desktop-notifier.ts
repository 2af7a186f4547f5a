// What a message from someone else does when the user is not looking at its conversation: a
// desktop notification (Notification API, permission granted) and a short sound (if on). Whether
// it notifies at all is the shared rule (lib/chat/notification-policy.ts) applied to the member's
// levels and mute; where nobody looks is the tabs' business (./tab-coordinator.ts), and only the
// leading tab shows it. Clicking it brings the tab forward at that message.
import { isMentioned, shouldNotify, type NotificationLevel } from '../../chat/notification-policy';
import type { ConversationDto, ConversationRef, MessageDto } from '../../protocol';
import { messagePreview } from '../format';
import { isMuted } from '../hooks/useDocumentTitle';
import type { TabCoordinator } from './tab-coordinator';

export const NOTIFICATION_SOUND_URL = '/sounds/notification.wav';
export const NOTIFICATION_ICON_URL = '/icons/icon-192.png';
/** The preview's length, as Web Push sends it. */
export const PREVIEW_CHARS = 120;

/** The member's own settings (User.notificationLevel / notificationPreviews) as the page knows them. */
export type MemberNotificationSettings = { defaultLevel: NotificationLevel; previews: boolean };
export const DEFAULT_MEMBER_SETTINGS: MemberNotificationSettings = { defaultLevel: 'all', previews: true };

/**
 * Whether the rule lets this message notify me (I am online here: @here reaches me). A reply that
 * stays in its thread is not news for the whole conversation: it notifies only when it mentions
 * me or is in a one-to-one conversation.
 */
export function messageShouldNotify(
  message: MessageDto,
  ref: ConversationRef,
  conversation: ConversationDto | undefined,
  meId: string,
  settings: MemberNotificationSettings,
): boolean {
  // A timeline note (someone joined, a rename…) is never unread, so never news either.
  if (message.system) return false;
  const threadOnly = message.threadRootId !== null && !message.alsoInConversation;
  if (threadOnly && ref.type !== 'private' && !isMentioned(message, meId, true)) return false;
  return shouldNotify({
    // My level here (Participant.notificationLevel); null or absent follows my default.
    conversationLevel: conversation?.notificationLevel ?? null,
    defaultLevel: settings.defaultLevel,
    muted: conversation ? isMuted(conversation.mutedUntil) : false,
    isDirect: ref.type === 'private',
    mentioned: isMentioned(message, meId, true),
    isSender: message.senderId === meId,
  });
}

/** The notification's title and body; the content only when previews are on. */
export function notificationText(message: MessageDto, ref: ConversationRef, meId: string, previews: boolean): { title: string; body: string } {
  const sender = message.sender.name;
  const mentioned = isMentioned(message, meId, true) && ref.type === 'group';
  const where = ref.type === 'group' ? ` in ${ref.name?.trim() || 'a group'}` : '';
  const title = mentioned ? `${sender} mentioned you${where}` : `${sender}${where}`;
  if (!previews) return { title, body: 'New message' };
  const preview = messagePreview(message, meId);
  return { title, body: preview.length > PREVIEW_CHARS ? `${preview.slice(0, PREVIEW_CHARS - 1)}…` : preview };
}

export type DesktopNotifierOptions = {
  tabs: TabCoordinator;
  meId: string;
  conversation: (conversationId: string) => ConversationDto | undefined;
  settings: () => MemberNotificationSettings;
  soundOn: () => boolean;
  /** Opens the conversation at the message (the notification was clicked). */
  open: (conversationId: string, messageId: string) => void;
};

export class DesktopNotifier {
  constructor(private readonly options: DesktopNotifierOptions) {}

  /** A message from someone else arrived live. Decides at once (no awaiting): one tab, one notification. */
  arrived(message: MessageDto, ref: ConversationRef): void {
    const { tabs, meId } = this.options;
    if (!tabs.isLeader() || tabs.isViewedAnywhere(message.conversationId)) return;
    const settings = this.options.settings();
    if (!messageShouldNotify(message, ref, this.options.conversation(message.conversationId), meId, settings)) return;
    this.show(message, ref, settings.previews);
    if (this.options.soundOn()) playSound();
  }

  private show(message: MessageDto, ref: ConversationRef, previews: boolean): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const { title, body } = notificationText(message, ref, this.options.meId, previews);
    let notification: Notification;
    try {
      // One per conversation on screen: a newer message replaces the older one's notification.
      notification = new Notification(title, { body, tag: `conversation:${message.conversationId}`, icon: NOTIFICATION_ICON_URL, data: { messageId: message.id } });
    } catch {
      return; // e.g. Android Chrome allows notifications only from a service worker
    }
    // A reply that stays in its thread is reached through the thread's top message.
    const target = message.threadRootId && !message.alsoInConversation ? message.threadRootId : message.id;
    notification.onclick = (event) => {
      event.preventDefault();
      window.focus();
      this.options.open(message.conversationId, target);
      notification.close();
    };
  }
}

function playSound(): void {
  const audio = new Audio(NOTIFICATION_SOUND_URL);
  audio.volume = 0.6;
  // Browsers refuse to play before the user has interacted with the page: then silence.
  audio.play().catch(() => {});
}
