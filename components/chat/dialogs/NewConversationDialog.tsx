'use client';
// Start a conversation: a private chat with one person (opens the existing one if there is one),
// or a named group with several: private (invitation only) or a public channel anyone can find
// and join (it may start with its creator alone).
import { useState, type FormEvent } from 'react';
import type { UserSummary } from '@/lib/protocol';
import { Modal } from '@/components/ui/Modal';
import { api } from '@/lib/client/api';
import { useSyncEngine } from '@/lib/client/sync-engine-provider';
import { UserPicker } from './UserPicker';

type Mode = 'private' | 'group';

export function NewConversationDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (conversationId: string) => void }) {
  const { cache } = useSyncEngine();
  const [mode, setMode] = useState<Mode>('private');
  const [name, setName] = useState('');
  const [members, setMembers] = useState<UserSummary[]>([]);
  const [isPublic, setIsPublic] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function create(type: Mode, participantIds: string[], groupName?: string) {
    setPending(true);
    setError(null);
    try {
      const conversation = await api.createConversation({
        type,
        participantIds,
        ...(groupName ? { name: groupName } : {}),
        ...(type === 'group' ? { privacy: isPublic ? 'public' : 'private' } : {}),
      });
      cache.conversation(conversation);
      onCreated(conversation.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not create the conversation.');
    } finally {
      setPending(false);
    }
  }

  function toggle(user: UserSummary) {
    setMembers((current) => (current.some((u) => u.id === user.id) ? current.filter((u) => u.id !== user.id) : [...current, user]));
  }

  function onSubmitGroup(event: FormEvent) {
    event.preventDefault();
    if (!name.trim() || (members.length === 0 && !isPublic)) return;
    void create(
      'group',
      members.map((u) => u.id),
      name.trim(),
    );
  }

  const tab = (value: Mode, label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={mode === value}
      onClick={() => setMode(value)}
      className={`flex-1 rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-500 ${
        mode === value ? 'bg-white shadow-sm dark:bg-slate-700' : 'text-slate-600 dark:text-slate-400'
      }`}
    >
      {label}
    </button>
  );

  return (
    <Modal title="New conversation" onClose={onClose} wide>
      <div role="tablist" className="mb-4 flex gap-1 rounded-lg bg-slate-100 p-1 dark:bg-slate-800">
        {tab('private', 'Direct message')}
        {tab('group', 'New group')}
      </div>
      {error ? (
        <p role="alert" className="mb-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300">
          {error}
        </p>
      ) : null}
      {mode === 'private' ? (
        <UserPicker autoFocus onPick={(u) => void create('private', [u.id])} />
      ) : (
        <form onSubmit={onSubmitGroup} className="space-y-3">
          <div>
            <label htmlFor="group-name" className="mb-1 block text-sm font-medium">
              Group name
            </label>
            <input id="group-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required className="text-input" />
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={isPublic} onChange={(e) => setIsPublic(e.target.checked)} />
            Public channel: anyone on this server can find and join it
          </label>
          <div>
            <span className="mb-1 block text-sm font-medium">Members</span>
            <UserPicker multiple selected={members} onPick={toggle} />
          </div>
          <div className="flex justify-end gap-2">
            <button type="button" className="button-secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button-primary" disabled={pending || !name.trim() || (members.length === 0 && !isPublic)}>
              {isPublic ? 'Create channel' : 'Create group'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
