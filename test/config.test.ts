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
