'use client';
// Server settings: name, largest upload (never above UPLOAD_MAX_BYTES), who the people search lists.
import { useEffect, useState, type FormEvent } from 'react';
import type { DirectoryVisibility, ServerSettingsDto } from '@/lib/protocol';
import { adminApi } from '@/lib/client/admin-api';
import { messageOf, Notice, Section } from './ui';

const MIB = 1024 * 1024;

export function AdminSettings() {
  const [settings, setSettings] = useState<ServerSettingsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    adminApi
      .settings()
      .then(setSettings)
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const mib = String(form.get('uploadMiB') ?? '').trim();
    setError(null);
    setSaved(false);
    try {
      setSettings(
        await adminApi.updateSettings({
          name: String(form.get('name') ?? '').trim(),
          uploadMaxBytes: mib ? Math.round(Number(mib) * MIB) : null,
          directoryVisibility: String(form.get('directory')) as DirectoryVisibility,
        }),
      );
      setSaved(true);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  if (!settings) return <Section title="Server settings">{error ? <Notice tone="error">{error}</Notice> : <p aria-busy="true" />}</Section>;
  const ceiling = settings.uploadCeilingBytes / MIB;
  return (
    <Section title="Server settings">
      <form onSubmit={onSubmit} className="space-y-4">
        {error ? <Notice tone="error">{error}</Notice> : null}
        {saved ? <Notice tone="success">Settings saved.</Notice> : null}
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Server name</span>
          <input name="name" defaultValue={settings.name} required maxLength={100} className="text-input" />
        </label>
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Largest upload (MB)</span>
          <input
            name="uploadMiB"
            type="number"
            min={0.1}
            step={0.1}
            max={ceiling}
            defaultValue={settings.uploadMaxBytes ? +(settings.uploadMaxBytes / MIB).toFixed(1) : ''}
            placeholder={`${ceiling.toFixed(0)} (the configured maximum)`}
            className="text-input"
          />
          <span className="mt-1 block text-xs text-slate-500">At most {ceiling.toFixed(0)} MB, set by UPLOAD_MAX_BYTES. Empty: that maximum.</span>
        </label>
        <fieldset className="space-y-2 text-sm">
          <legend className="mb-1 font-medium">People search lists</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="directory" value="everyone" defaultChecked={settings.directoryVisibility === 'everyone'} />
            everyone on the server
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="directory" value="shared" defaultChecked={settings.directoryVisibility === 'shared'} />
            only people who share a conversation with the one searching
          </label>
        </fieldset>
        <p className="text-xs text-slate-500">
          Password reset e-mails: {settings.mailConfigured ? 'sent through SMTP_URL.' : 'no SMTP_URL set; make reset links in Users and pass them on.'}
        </p>
        <div className="flex justify-end">
          <button type="submit" className="button-primary">
            Save settings
          </button>
        </div>
      </form>
    </Section>
  );
}
