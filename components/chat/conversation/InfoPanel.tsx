'use client';
// About the open conversation: name, description and privacy (admins of groups), invite links
// (admins), mute, notification level and archive (mine only), the members with their presence or last seen, adding
// and removing members (admins, removal confirmed), and leaving the group. A removed member's
// read-only view shows the group as it was, with no actions.
import { useState, type FormEvent } from 'react';
import type { ConversationDto, ParticipantDto, UserSummary } from '@/lib/protocol';
import { Avatar } from '@/components/ui/Avatar';
import { Icon } from '@/components/ui/Icon';
import { Modal } from '@/components/ui/Modal';
import { UserPicker } from '@/components/chat/dialogs/UserPicker';
import { api } from '@/lib/client/api';
import { conversationTitle, otherParticipant } from '@/lib/client/format';
import { isMuted } from '@/lib/client/hooks/useDocumentTitle';
import { usePresence, usePresenceLine } from '@/lib/client/hooks/usePresence';
import { useNotificationSettings } from '@/lib/client/hooks/useNotificationSettings';
import { NOTIFICATION_LEVEL_LABELS } from '@/lib/client/notification-levels';
import { NOTIFICATION_LEVELS, type NotificationLevel } from '@/lib/chat/notification-policy';
import { useSyncEngine } from '@/lib/client/sync-engine-provider';
import { InviteLinks } from './InviteLinks';
import { SidePanel } from './SidePanel';

const MUTE_FOREVER = '9999-12-31T00:00:00.000Z';
const HOUR_MS = 3_600_000;

function Member({ participant, me, canRemove, onRemove }: { participant: ParticipantDto; me: UserSummary; canRemove: boolean; onRemove: () => void }) {
  const online = usePresence(participant.user.id);
  const presenceLine = usePresenceLine(participant.user.id, participant.lastSeenAt);
  const isMe = participant.user.id === me.id;
  return (
    <li className="flex items-center gap-3 px-4 py-2" data-testid="member">
      <Avatar id={participant.user.id} name={participant.user.name} url={participant.user.avatarUrl} size="sm" online={isMe ? true : online} />
      <span className="min-w-0 flex-1">
        <span className="block truncate text-sm font-medium">
          {participant.user.name}
          {isMe ? <span className="font-normal text-slate-500"> (you)</span> : null}
        </span>
        <span className="block truncate text-xs text-slate-500" data-testid="member-presence">
          @{participant.user.username}
          {!isMe && presenceLine ? ` · ${presenceLine}` : null}
        </span>
      </span>
      {participant.role === 'admin' ? <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">Admin</span> : null}
      {canRemove && !isMe ? (
        <button type="button" onClick={onRemove} className="icon-button h-8 w-8" aria-label={`Remove ${participant.user.name}`} title="Remove from group">
          <Icon name="close" className="h-4 w-4" />
        </button>
      ) : null}
    </li>
  );
}

export function InfoPanel({ conversation, me, onClose, onLeft }: { conversation: ConversationDto; me: UserSummary; onClose: () => void; onLeft: () => void }) {
  const { cache } = useSyncEngine();
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(conversation.name ?? '');
  const [adding, setAdding] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [removing, setRemoving] = useState<UserSummary | null>(null);
  const [describing, setDescribing] = useState(false);
  const [description, setDescription] = useState(conversation.description ?? '');
  const isGroup = conversation.type === 'group';
  const readOnly = conversation.left !== null;
  const amAdmin = !readOnly && conversation.participants.some((p) => p.user.id === me.id && p.role === 'admin');
  const muted = isMuted(conversation.mutedUntil);
  const other = otherParticipant(conversation, me.id);
  const otherOnline = usePresence(other?.id);
  const otherPresence = usePresenceLine(other?.id, conversation.participants.find((p) => p.user.id === other?.id)?.lastSeenAt);
  const { settings } = useNotificationSettings();

  async function run(action: () => Promise<ConversationDto | void>) {
    setError(null);
    try {
      const updated = await action();
      if (updated) cache.conversation(updated);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'That did not work.');
    }
  }

  function onRename(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return;
    void run(() => api.renameConversation(conversation.id, { name: name.trim() })).then(() => setRenaming(false));
  }

  function onDescribe(event: FormEvent) {
    event.preventDefault();
    void run(() => api.renameConversation(conversation.id, { description: description.trim() || null })).then(() => setDescribing(false));
  }

  async function confirmRemove() {
    const member = removing;
    if (!member) return;
    setRemoving(null);
    await run(() => api.removeParticipant(conversation.id, member.id).then(() => api.getConversation(conversation.id)));
  }

  async function leave() {
    setError(null);
    try {
      await api.removeParticipant(conversation.id, me.id);
      cache.uncacheConversation(conversation.id);
      onLeft();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not leave the group.');
    }
  }

  const title = conversationTitle(conversation, me.id);
  return (
    <SidePanel title={isGroup ? 'Group info' : 'Contact info'} onClose={onClose}>
      <div className="flex flex-col items-center gap-2 border-b border-slate-200 px-4 py-6 text-center dark:border-slate-800">
        <Avatar id={other?.id ?? conversation.id} name={title} url={other?.avatarUrl ?? conversation.avatarUrl} size="lg" online={other ? otherOnline : undefined} />
        {renaming ? (
          <form onSubmit={onRename} className="flex w-full gap-2">
            <label htmlFor="group-rename" className="sr-only">
              Group name
            </label>
            <input id="group-rename" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} className="text-input" autoFocus />
            <button type="submit" className="button-primary px-3">
              Save
            </button>
          </form>
        ) : (
          <div className="flex items-center gap-1">
            <h3 className="text-lg font-semibold">{title}</h3>
            {isGroup && amAdmin ? (
              <button type="button" className="icon-button h-8 w-8" aria-label="Rename group" onClick={() => setRenaming(true)}>
                <Icon name="edit" className="h-4 w-4" />
              </button>
            ) : null}
          </div>
        )}
        {other ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">
            @{other.username} · {otherPresence === 'online' ? 'Online' : (otherPresence ?? 'Offline')}
          </p>
        ) : null}
        {isGroup ? (
          <p className="text-xs font-medium text-slate-500" data-testid="group-privacy">
            {conversation.privacy === 'public' ? 'Public channel: anyone can find and join it' : 'Private group: invitation only'}
          </p>
        ) : null}
        {describing ? (
          <form onSubmit={onDescribe} className="flex w-full flex-col gap-2">
            <label htmlFor="group-description" className="sr-only">
              Description
            </label>
            <textarea id="group-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} rows={3} className="text-input" autoFocus />
            <div className="flex justify-end gap-2">
              <button type="button" className="button-secondary" onClick={() => setDescribing(false)}>
                Cancel
              </button>
              <button type="submit" className="button-primary px-3">
                Save
              </button>
            </div>
          </form>
        ) : (
          <>
            {conversation.description ? <p className="text-sm text-slate-600 dark:text-slate-400">{conversation.description}</p> : null}
            {isGroup && amAdmin ? (
              <button type="button" className="text-xs font-medium text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => setDescribing(true)}>
                {conversation.description ? 'Edit description' : 'Add a description'}
              </button>
            ) : null}
          </>
        )}
      </div>

      {error ? (
        <p role="alert" className="mx-4 mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300">
          {error}
        </p>
      ) : null}

      {isGroup && amAdmin ? (
        <div className="space-y-1 border-b border-slate-200 px-2 py-3 dark:border-slate-800">
          <label className="flex items-center gap-3 rounded-lg px-2 py-2 text-sm">
            <Icon name="info" className="h-4 w-4 text-slate-500" />
            <span className="flex-1">Who can join</span>
            <select
              value={conversation.privacy === 'public' ? 'public' : 'private'}
              onChange={(e) => void run(() => api.renameConversation(conversation.id, { privacy: e.target.value as 'public' | 'private' }))}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
              aria-label="Privacy"
            >
              <option value="private">Invited people (private)</option>
              <option value="public">Anyone (public channel)</option>
            </select>
          </label>
          <InviteLinks conversationId={conversation.id} />
        </div>
      ) : null}

      {readOnly ? null : (
      <div className="space-y-1 border-b border-slate-200 px-2 py-3 dark:border-slate-800">
        <label className="flex items-center gap-3 rounded-lg px-2 py-2 text-sm hover:bg-slate-50 dark:hover:bg-slate-900">
          <Icon name="bellOff" className="h-4 w-4 text-slate-500" />
          <span className="flex-1">Mute</span>
          <select
            value={muted ? 'muted' : 'off'}
            onChange={(e) => {
              const value = e.target.value;
              const until = value === 'off' ? null : value === '8h' ? new Date(Date.now() + 8 * HOUR_MS).toISOString() : value === 'week' ? new Date(Date.now() + 168 * HOUR_MS).toISOString() : MUTE_FOREVER;
              void run(() => api.updateSettings(conversation.id, { mutedUntil: until }));
            }}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
            aria-label="Mute notifications"
          >
            <option value="off">Off</option>
            {muted ? <option value="muted">Muted</option> : null}
            <option value="8h">For 8 hours</option>
            <option value="week">For a week</option>
            <option value="always">Until I unmute</option>
          </select>
        </label>
        <label className="flex items-center gap-3 rounded-lg px-2 py-2 text-sm hover:bg-slate-50 dark:hover:bg-slate-900">
          <Icon name="bell" className="h-4 w-4 text-slate-500" />
          <span className="flex-1">Notify me</span>
          <select
            value={conversation.notificationLevel ?? 'default'}
            onChange={(e) => {
              const value = e.target.value;
              const level = value === 'default' ? null : (value as NotificationLevel);
              void run(() => api.updateSettings(conversation.id, { notificationLevel: level }));
            }}
            className="max-w-44 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
            aria-label="Notification level"
          >
            <option value="default">Default ({NOTIFICATION_LEVEL_LABELS[settings.notificationLevel].toLowerCase()})</option>
            {NOTIFICATION_LEVELS.map((level) => (
              <option key={level} value={level}>
                {NOTIFICATION_LEVEL_LABELS[level]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => void run(() => api.updateSettings(conversation.id, { archived: !conversation.archivedAt }))}
          className="flex w-full items-center gap-3 rounded-lg px-2 py-2 text-left text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-900"
        >
          <Icon name="archive" className="h-4 w-4 text-slate-500" />
          {conversation.archivedAt ? 'Unarchive conversation' : 'Archive conversation'}
        </button>
      </div>
      )}

      {isGroup ? (
        <div className="py-3">
          <div className="flex items-center justify-between px-4 pb-1">
            <h3 className="text-sm font-semibold text-slate-600 dark:text-slate-300">{conversation.participants.length} member{conversation.participants.length === 1 ? '' : 's'}</h3>
            {amAdmin ? (
              <button type="button" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => setAdding(true)}>
                Add member
              </button>
            ) : null}
          </div>
          <ul aria-label="Members">
            {conversation.participants.map((p) => (
              <Member
                key={p.user.id}
                participant={p}
                me={me}
                canRemove={amAdmin}
                onRemove={() => setRemoving(p.user)}
              />
            ))}
          </ul>
          {readOnly ? null : (
          <div className="px-4 pt-3">
            <button type="button" className="w-full rounded-lg px-3 py-2 text-sm font-medium text-red-600 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/40" onClick={() => setConfirmLeave(true)}>
              Leave group
            </button>
          </div>
          )}
        </div>
      ) : null}

      {removing ? (
        <Modal title={`Remove ${removing.name}?`} onClose={() => setRemoving(null)}>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {removing.name} will no longer see new messages or be able to write here. They keep what was said until now, read-only, and everyone sees a note that you removed them.
          </p>
          <div className="mt-5 flex justify-end gap-2">
            <button type="button" className="button-secondary" onClick={() => setRemoving(null)}>
              Cancel
            </button>
            <button type="button" className="button-danger" onClick={() => void confirmRemove()}>
              Remove
            </button>
          </div>
        </Modal>
      ) : null}

      {adding ? (
        <Modal title="Add member" onClose={() => setAdding(false)}>
          <UserPicker
            autoFocus
            exclude={conversation.participants.map((p) => p.user.id)}
            onPick={(u) => {
              setAdding(false);
              void run(() => api.addParticipant(conversation.id, u.id));
            }}
          />
        </Modal>
      ) : null}
      {confirmLeave ? (
        <Modal title="Leave group?" onClose={() => setConfirmLeave(false)}>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {conversation.privacy === 'public'
              ? 'You will stop receiving its messages. You can join again from Browse channels.'
              : 'You will stop receiving its messages. Someone must add you back for you to return.'}
          </p>
          <div className="mt-5 flex justify-end gap-2">
            <button type="button" className="button-secondary" onClick={() => setConfirmLeave(false)}>
              Cancel
            </button>
            <button type="button" className="button-danger" onClick={() => void leave()}>
              Leave
            </button>
          </div>
        </Modal>
      ) : null}
    </SidePanel>
  );
}
