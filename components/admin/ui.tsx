'use client';
// Small pieces the admin console's sections share.
import type { ReactNode } from 'react';

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : 'Something went wrong.');

export function Notice({ tone, children }: { tone: 'error' | 'success'; children: ReactNode }) {
  const colours =
    tone === 'error' ? 'bg-red-50 text-red-700 dark:bg-red-950/50 dark:text-red-300' : 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-300';
  return (
    <p role={tone === 'error' ? 'alert' : 'status'} className={`rounded-lg px-3 py-2 text-sm ${colours}`}>
      {children}
    </p>
  );
}

/** A link shown once for the admin to copy and pass on. */
export function CopyableLink({ label, url }: { label: string; url: string }) {
  return (
    <div className="space-y-1">
      <label className="block text-sm font-medium">
        {label}
        <input readOnly value={url} className="text-input mt-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} data-testid="copyable-link" />
      </label>
      <button type="button" className="button-secondary" onClick={() => void navigator.clipboard?.writeText(url)}>
        Copy link
      </button>
    </div>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="space-y-4 rounded-2xl border border-slate-200 p-5 dark:border-slate-800">
      <h2 className="text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}
