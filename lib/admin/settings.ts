// The server's settings: one row, read fresh on every use (several nodes share it, and a read of
// one row by its key costs less than keeping caches in step), written by admins only.
import type { Config } from '../config';
import type { Db } from '../db/open';
import type { ServerSettings } from '../db/generated/client';
import type { DirectoryVisibility, PublicServerInfoDto, RegistrationMode, ServerSettingsDto, UpdateServerSettingsInput } from '../protocol';
import { recordAudit } from './audit';

const SETTINGS_ID = 1;

/** The row, created with its defaults the first time anyone asks. */
export async function readServerSettings(db: Db): Promise<ServerSettings> {
  return db.serverSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID }, update: {} });
}

const registrationModeOf = (row: ServerSettings): RegistrationMode => (row.registrationMode === 'invite_only' ? 'invite-only' : row.registrationMode);

/** The largest upload now: the admin's setting, never above UPLOAD_MAX_BYTES. */
export function uploadLimitOf(row: Pick<ServerSettings, 'uploadMaxBytes'>, config: Pick<Config, 'uploadMaxBytes'>): number {
  return Math.min(row.uploadMaxBytes ?? config.uploadMaxBytes, config.uploadMaxBytes);
}

export async function currentUploadLimit(db: Db, config: Pick<Config, 'uploadMaxBytes'>): Promise<number> {
  return uploadLimitOf(await readServerSettings(db), config);
}

export async function directoryVisibility(db: Db): Promise<DirectoryVisibility> {
  return (await readServerSettings(db)).directoryVisibility;
}

export function toServerSettingsDto(row: ServerSettings, config: Pick<Config, 'uploadMaxBytes' | 'smtp'>): ServerSettingsDto {
  return {
    name: row.name,
    registrationMode: registrationModeOf(row),
    uploadMaxBytes: row.uploadMaxBytes,
    uploadCeilingBytes: config.uploadMaxBytes,
    directoryVisibility: row.directoryVisibility,
    mailConfigured: Boolean(config.smtp),
  };
}

export async function publicServerInfo(db: Db): Promise<PublicServerInfoDto> {
  const row = await readServerSettings(db);
  return { name: row.name, registrationMode: registrationModeOf(row) };
}

/** An admin changes settings; what changed goes to the audit log. */
export async function updateServerSettings(db: Db, actorId: string, input: UpdateServerSettingsInput): Promise<ServerSettings> {
  await readServerSettings(db);
  const data = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.registrationMode !== undefined ? { registrationMode: input.registrationMode === 'invite-only' ? ('invite_only' as const) : input.registrationMode } : {}),
    ...(input.uploadMaxBytes !== undefined ? { uploadMaxBytes: input.uploadMaxBytes } : {}),
    ...(input.directoryVisibility !== undefined ? { directoryVisibility: input.directoryVisibility } : {}),
  };
  return db.$transaction(async (tx) => {
    const row = await tx.serverSettings.update({ where: { id: SETTINGS_ID }, data });
    await recordAudit(tx, actorId, 'settings.update', { type: 'settings' }, { ...input });
    return row;
  });
}
