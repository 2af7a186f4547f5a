import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '@/lib/config';

describe('config', () => {
  it('generates an auth secret once and keeps it under DATA_DIR', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.authSecretGenerated).toBe(true);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.authSecret).toBe(first.authSecret);
    expect(readFileSync(path.join(dir, 'auth-secret'), 'utf8')).toBe(first.authSecret);
  });

  it('generates a VAPID key pair once and keeps it under DATA_DIR, unless both keys are given', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.vapid.generated).toBe(true);
    expect(Buffer.from(first.vapid.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(first.vapid.privateKey, 'base64url')).toHaveLength(32);
    expect(loadConfig({ DATA_DIR: dir }).vapid).toEqual(first.vapid);
    expect(JSON.parse(readFileSync(path.join(dir, 'vapid-keys.json'), 'utf8'))).toEqual({ publicKey: first.vapid.publicKey, privateKey: first.vapid.privateKey });

    const given = loadConfig({ DATA_DIR: dir, VAPID_PUBLIC_KEY: first.vapid.publicKey, VAPID_PRIVATE_KEY: first.vapid.privateKey, VAPID_SUBJECT: 'mailto:ops@example.com' });
    expect(given.vapid).toEqual({ ...first.vapid, subject: 'mailto:ops@example.com', generated: false });
    expect(loadConfig({ DATA_DIR: dir, NEXTAUTH_URL: 'https://chat.example.com/app' }).vapid.subject).toBe('https://chat.example.com');
    expect(() => loadConfig({ DATA_DIR: dir, VAPID_PUBLIC_KEY: first.vapid.publicKey })).toThrow(/VAPID_PRIVATE_KEY/);
    expect(() => loadConfig({ DATA_DIR: dir, VAPID_SUBJECT: 'ops@example.com' })).toThrow(/VAPID_SUBJECT/);
    expect(JSON.stringify(describeConfig(first))).not.toContain(first.vapid.privateKey);
  });

  it('uses embedded defaults with no configuration', () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cfg-')) });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.s3).toBeUndefined();
  });

  it('rejects bad values with a readable message', () => {
    expect(() => loadConfig({ PORT: 'eighty', AUTH_SECRET: 'x'.repeat(40) })).toThrow(ConfigError);
    expect(() => loadConfig({ AUTH_SECRET: 'short' })).toThrow(/AUTH_SECRET/);
  });

  it('never describes secrets', () => {
    const secret = 's'.repeat(48);
    const config = loadConfig({
      AUTH_SECRET: secret,
      DATABASE_URL: 'postgresql://app:hunter2@db.internal:5432/chat',
      S3_BUCKET: 'files',
      S3_SECRET_ACCESS_KEY: 'very-secret',
    });
    const described = JSON.stringify(describeConfig(config));
    expect(described).not.toContain(secret);
    expect(described).not.toContain('hunter2');
    expect(described).not.toContain('very-secret');
    expect(described).toContain('db.internal');
  });
});
