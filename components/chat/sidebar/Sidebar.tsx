'use client';
// The left pane: who I am, new conversation, a filter, and my conversations (archived ones
// folded away at the bottom). Arrow keys move between conversations.
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import Link from 'next/link';
import type { UserSummary } from '@/lib/protocol';
import { SignOutButton } from '@/components/auth/SignOutButton';
import { AccountButton } from '@/components/account/AccountButton';
import { Avatar } from '@/components/ui/Avatar';
import { Icon } from '@/components/ui/Icon';
import { NewConversationDialog } from '@/components/chat/dialogs/NewConversationDialog';
import { BrowseChannelsDialog } from '@/components/chat/dialogs/BrowseChannelsDialog';
import { GlobalSearchDialog } from '@/components/chat/search/GlobalSearchDialog';
import { NotificationMenu } from '@/components/notifications/NotificationMenu';
import { NotificationPrompt } from '@/components/notifications/NotificationPrompt';
import { conversationTitle } from '@/lib/client/format';
import { useConversations } from '@/lib/client/hooks/useConversations';
import { useSyncEngine } from '@/lib/client/sync-engine-provider';
import { useIsServerAdmin } from '@/lib/client/server-admin';
import { ConversationListItem, ConversationListItemSkeleton } from './ConversationListItem';

function moveFocus(event: KeyboardEvent<HTMLElement>) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...event.currentTarget.querySelectorAll<HTMLAnchorElement>('a[data-testid="conversation-item"]')];
  const index = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (index < 0) return;
  event.preventDefault();
  links[Math.min(links.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
}

export function Sidebar({ me, activeId, onOpen, className = '' }: { me: UserSummary; activeId: string | null; onOpen: (id: string) => void; className?: string }) {
  const engine = useSyncEngine();
  const isServerAdmin = useIsServerAdmin();
  const { data, isPending, isError, refetch } = useConversations();
  const [filter, setFilter] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const [creating, setCreating] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const [searching, setSearching] = useState(false);

  // Ctrl+K / ⌘K: search everywhere, from anywhere in the app.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setSearching(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const { current, archived } = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const matching = (data ?? []).filter((c) => !needle || conversationTitle(c, me.id).toLowerCase().includes(needle));
    return { current: matching.filter((c) => !c.archivedAt), archived: matching.filter((c) => c.archivedAt) };
  }, [data, filter, me.id]);

  const item = (c: (typeof current)[number]) => <ConversationListItem key={c.id} conversation={c} meId={me.id} active={c.id === activeId} onOpen={onOpen} />;

  return (
    <aside className={`relative flex min-h-0 w-full flex-col border-slate-200 md:border-r bg-white md:w-80 lg:w-96 dark:border-slate-800 dark:bg-slate-950 ${className}`}>
      {/* Icons only, with their names for screen readers and as tooltips: with Admin too, text
          buttons did not fit a 320 px sidebar and "Sign out" slid under the conversation header. */}
      <header className="flex h-16 shrink-0 items-center gap-1 border-b border-slate-200 px-3 dark:border-slate-800">
        <Avatar id={me.id} name={me.name} url={me.avatarUrl} size="sm" />
        <span className="ml-2 min-w-0 flex-1 truncate font-semibold" data-testid="current-user">
          {me.name}
        </span>
        <button type="button" className="icon-button" aria-label="Search everywhere" title="Search everywhere (Ctrl+K)" onClick={() => setSearching(true)}>
          <Icon name="search" />
        </button>
        <button type="button" className="icon-button" aria-label="New conversation" title="New conversation" onClick={() => setCreating(true)}>
          <Icon name="plus" />
        </button>
        <NotificationMenu />
        {isServerAdmin ? (
          <Link href="/admin" className="icon-button" aria-label="Admin" title="Admin">
            <Icon name="shield" />
          </Link>
        ) : null}
        <AccountButton me={me} />
        {/* Signing out first forgets what this browser still had to send (saved copies too):
            the next person here must not find it. Captured, so it runs before the sign-out. */}
        <span className="contents" onClickCapture={() => engine.forgetOutbox()}>
          <SignOutButton />
        </span>
      </header>

      <div className="shrink-0 px-3 py-2">
        <label className="relative block">
          <span className="sr-only">Filter conversations</span>
          <Icon name="search" className="pointer-events-none absolute top-2.5 left-3 h-4 w-4 text-slate-400" />
          <input
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Search conversations"
            className="text-input rounded-full bg-slate-100 pl-9 dark:bg-slate-900"
          />
        </label>
        <button
          type="button"
          onClick={() => setBrowsing(true)}
          className="mt-1 flex w-full items-center gap-2 rounded-lg px-2 py-1.5 text-left text-sm font-medium text-slate-600 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-400 dark:hover:bg-slate-900"
        >
          <Icon name="users" className="h-4 w-4" />
          Browse channels
        </button>
      </div>

      <nav aria-label="Conversations" className="min-h-0 flex-1 overflow-y-auto" onKeyDown={moveFocus}>
        {isPending ? (
          <ul aria-busy="true">
            {Array.from({ length: 6 }, (_, i) => (
              <ConversationListItemSkeleton key={i} />
            ))}
          </ul>
        ) : isError ? (
          <div className="p-4 text-sm text-slate-600 dark:text-slate-400">
            Could not load your conversations.{' '}
            <button type="button" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => void refetch()}>
              Try again
            </button>
          </div>
        ) : current.length === 0 && archived.length === 0 ? (
          <div className="p-6 text-center text-sm text-slate-500 dark:text-slate-400">
            {filter ? (
              'No conversation matches.'
            ) : (
              <>
                <p>No conversations yet.</p>
                <button type="button" className="button-primary mt-3" onClick={() => setCreating(true)}>
                  Start a conversation
                </button>
              </>
            )}
          </div>
        ) : (
          <>
            <ul>{current.map(item)}</ul>
            {archived.length > 0 ? (
              <div className="border-t border-slate-200 dark:border-slate-800">
                <button
                  type="button"
                  aria-expanded={showArchived}
                  onClick={() => setShowArchived((v) => !v)}
                  className="flex w-full items-center gap-2 px-4 py-3 text-left text-sm font-medium text-slate-600 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-400 dark:hover:bg-slate-900"
                >
                  <Icon name="archive" className="h-4 w-4" />
                  Archived ({archived.length})
                </button>
                {showArchived ? <ul>{archived.map(item)}</ul> : null}
              </div>
            ) : null}
          </>
        )}
      </nav>

      {browsing ? (
        <BrowseChannelsDialog
          onClose={() => setBrowsing(false)}
          onOpen={(id) => {
            setBrowsing(false);
            onOpen(id);
          }}
        />
      ) : null}
      {searching ? <GlobalSearchDialog me={me} onOpen={onOpen} onClose={() => setSearching(false)} /> : null}
      {creating ? (
        <NewConversationDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            onOpen(id);
          }}
        />
      ) : null}
      {/* Floats over the list's foot: appearing after the page loads, it moves nothing. */}
      <NotificationPrompt />
    </aside>
  );
}
