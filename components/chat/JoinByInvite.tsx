'use client';
// Opening an invite link while signed in: join the group it leads to and open it. A link that
// expired, was used up or revoked (or never existed) says so plainly. The join is a POST made by
// the page, so a link preview fetching the address spends nothing.
import { useEffect, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { api, ApiError } from '@/lib/client/api';

type State = { kind: 'joining' } | { kind: 'failed'; message: string };

export function JoinByInvite({ code }: { code: string }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: 'joining' });
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api
      .joinByInvite(code)
      .then(({ conversation }) => router.replace(`/c/${conversation.id}`))
      .catch((error: unknown) => {
        const message =
          error instanceof ApiError && error.status === 404
            ? 'This invite link does not exist. Check that you copied all of it.'
            : error instanceof Error
              ? error.message
              : 'Could not join.';
        setState({ kind: 'failed', message });
      });
  }, [code, router]);

  if (state.kind === 'joining') {
    return (
      <p role="status" className="text-center text-sm text-slate-600 dark:text-slate-300">
        Joining the group…
      </p>
    );
  }
  return (
    <div role="alert" data-testid="invite-error" className="space-y-2 text-center">
      <p className="font-medium">{state.message}</p>
      <p className="text-sm text-slate-600 dark:text-slate-400">Ask someone in the group for a new link.</p>
    </div>
  );
}
