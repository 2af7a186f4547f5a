import { adminRoute } from '@/lib/http/admin-route';
import { parseJson } from '@/lib/http/route';
import { updateServerSettingsInput } from '@/lib/protocol';
import { readServerSettings, toServerSettingsDto, updateServerSettings } from '@/lib/admin/settings';

export const GET = adminRoute(async ({ ctx }) => ({ body: { settings: toServerSettingsDto(await readServerSettings(ctx.db), ctx.config) } }));

export const PATCH = adminRoute(async ({ req, ctx, userId }) => {
  const input = await parseJson(req, updateServerSettingsInput);
  return { body: { settings: toServerSettingsDto(await updateServerSettings(ctx.db, userId, input), ctx.config) } };
});
