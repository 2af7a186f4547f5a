'use client';
// In place of the composer for a removed member: the conversation is read-only up to their
// removal ("You were removed by Alice"), and they can delete it from their list.
import { useState } from 'react';
import type { ConversationDto } from '@/lib/protocol';
import { api } from '@/lib/client/api';
import { useSyncEngine } from '@/lib/client/sync-engine-provider';

export function LeftConversationBar({ conversation, onForgotten }: { conversation: ConversationDto; onForgotten: () => void }) {
  const { cache } = useSyncEngine();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const by = conversation.left?.removedBy?.name;

  async function forget() {
    setBusy(true);
    setError(null);
    try {
      await api.forgetConversation(conversation.id);
      cache.forgetConversation(conversation.id);
      onForgotten();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not delete the conversation.');
      setBusy(false);
    }
  }

  return (
    <div role="status" data-testid="left-conversation" className="flex shrink-0 flex-wrap items-center justify-between gap-3 border-t border-slate-200 bg-slate-50 px-4 py-3 text-sm dark:border-slate-800 dark:bg-slate-900">
      <p className="text-slate-600 dark:text-slate-300">
        {by ? `You were removed by ${by}.` : 'You are no longer a member.'} You can read what was said until then, but not send messages.
      </p>
      <div className="flex items-center gap-2">
        {error ? <span className="text-red-600" role="alert">{error}</span> : null}
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void forget()}>
          Delete conversation
        </button>
      </div>
    </div>
  );
}
