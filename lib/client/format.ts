// Display helpers: names, times, typing sentences and avatar initials. No React here.
import type { ConversationDto, MessageDto, UserSummary } from '../protocol';

/** A private conversation is named after the other person; a group by its name. */
export function conversationTitle(conversation: ConversationDto, meId: string): string {
  if (conversation.type === 'group') return conversation.name?.trim() || memberNames(conversation, meId) || 'Group';
  return otherParticipant(conversation, meId)?.name ?? conversation.name ?? 'Private chat';
}

export function otherParticipant(conversation: ConversationDto, meId: string): UserSummary | undefined {
  if (conversation.type !== 'private') return undefined;
  return conversation.participants.find((p) => p.user.id !== meId)?.user;
}

function memberNames(conversation: ConversationDto, meId: string): string {
  return conversation.participants
    .filter((p) => p.user.id !== meId)
    .map((p) => p.user.name.split(' ')[0])
    .join(', ');
}

export function typingSentence(names: string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

export function messagePreview(message: MessageDto, meId: string): string {
  // A timeline note's sentence names who did it already.
  if (message.system) return message.content;
  const who = message.senderId === meId ? 'You: ' : '';
  if (message.deletedAt) return `${who}Message deleted`;
  const text = message.content.replace(/\s+/g, ' ').trim();
  const attachment = message.attachment;
  if (attachment) {
    if (message.messageType === 'voice') return `${who}🎤 Voice message (${durationLabel(attachment.durationSec ?? 0)})`;
    if (attachment.mimeType.startsWith('image/')) return `${who}📷 ${text || 'Photo'}`;
    if (attachment.mimeType.startsWith('video/')) return `${who}🎬 ${text || 'Video'}`;
    return `${who}📎 ${text || attachment.fileName}`;
  }
  if (text) return who + text;
  const kinds: Record<string, string> = { image: 'Photo', file: 'File', voice: 'Voice message', video: 'Video', location: 'Location' };
  return who + (kinds[message.messageType] ?? 'Message');
}

/** 0:07, 1:05, 12:00: a recording's length or position. */
export function durationLabel(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0]![0]! + parts[parts.length - 1]![0]! : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const longDateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

const DAY_MS = 86_400_000;

export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** "Today", "Yesterday" or the full date: the text of a date separator. */
export function dayLabel(iso: string, now = new Date()): string {
  const days = Math.round((startOfDay(now) - startOfDay(new Date(iso))) / DAY_MS);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return longDateFormat.format(new Date(iso));
}

export function timeLabel(iso: string): string {
  return timeFormat.format(new Date(iso));
}

export function fullTimeLabel(iso: string): string {
  return fullFormat.format(new Date(iso));
}

/** The sidebar's time: a time today, a weekday this week, else a short date. */
export function listTimeLabel(iso: string, now = new Date()): string {
  const days = Math.round((startOfDay(now) - startOfDay(new Date(iso))) / DAY_MS);
  if (days === 0) return timeLabel(iso);
  if (days < 7) return weekdayFormat.format(new Date(iso));
  return shortDateFormat.format(new Date(iso));
}

/** "just now", "5 minutes ago", "3 hours ago", "yesterday at 14:05", "12 Mar at 09:30". */
export function formatLastSeen(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const minutes = Math.floor((now - at.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 12) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const today = startOfDay(new Date(now));
  const day = startOfDay(at);
  if (day === today) return `today at ${timeFormat.format(at)}`;
  if (today - day <= 86_400_000 * 1.5) return `yesterday at ${timeFormat.format(at)}`;
  return `${shortDateFormat.format(at)} at ${timeFormat.format(at)}`;
}
