'use client';
// The server admin's console: people, registration and invites, server settings, audit log.
import Link from 'next/link';
import { useState } from 'react';
import type { UserSummary } from '@/lib/protocol';
import { AdminUsers } from './AdminUsers';
import { AdminRegistration } from './AdminRegistration';
import { AdminSettings } from './AdminSettings';
import { AdminAuditLog } from './AdminAuditLog';

const TABS = [
  { id: 'users', label: 'Users' },
  { id: 'registration', label: 'Registration' },
  { id: 'settings', label: 'Settings' },
  { id: 'audit', label: 'Audit log' },
] as const;
type Tab = (typeof TABS)[number]['id'];

export function AdminConsole({ me }: { me: UserSummary }) {
  const [tab, setTab] = useState<Tab>('users');
  return (
    <div className="mx-auto flex min-h-dvh max-w-4xl flex-col gap-6 px-4 py-8" data-testid="admin-console">
      <header className="flex items-center gap-4">
        <h1 className="flex-1 text-2xl font-semibold tracking-tight">Server administration</h1>
        <Link href="/" className="button-secondary">
          Back to chat
        </Link>
      </header>
      <div role="tablist" aria-label="Admin sections" className="flex gap-1 border-b border-slate-200 dark:border-slate-800">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`admin-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="admin-panel"
            onClick={() => setTab(t.id)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              tab === t.id ? 'border-indigo-600 text-indigo-700 dark:text-indigo-300' : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400'
            }`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="admin-panel" aria-labelledby={`admin-tab-${tab}`}>
        {tab === 'users' ? <AdminUsers meId={me.id} /> : null}
        {tab === 'registration' ? <AdminRegistration /> : null}
        {tab === 'settings' ? <AdminSettings /> : null}
        {tab === 'audit' ? <AdminAuditLog /> : null}
      </div>
    </div>
  );
}
