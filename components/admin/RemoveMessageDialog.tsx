'use client';
// A server admin confirms removing someone else's message (moderation). Members then see
// "This message was removed by an admin"; the action goes to the audit log.
import { useState } from 'react';
import type { MessageDto } from '@/lib/protocol';
import { Modal } from '@/components/ui/Modal';
import { adminApi } from '@/lib/client/admin-api';

export function RemoveMessageDialog({ message, onRemoved, onClose }: { message: MessageDto; onRemoved: () => void; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function remove() {
    setPending(true);
    setError(null);
    try {
      await adminApi.removeMessage(message.id);
      onRemoved();
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not remove the message.');
      setPending(false);
    }
  }

  return (
    <Modal title="Remove message as admin?" onClose={onClose}>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        The message from {message.sender.name} will be removed for everyone and marked as removed by an admin. This is recorded in the audit log.
      </p>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <div className="mt-5 flex justify-end gap-2">
        <button type="button" className="button-secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button-danger" disabled={pending} onClick={() => void remove()}>
          Remove
        </button>
      </div>
    </Modal>
  );
}
