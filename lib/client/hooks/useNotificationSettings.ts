'use client';
// My notification settings (default level, message previews): loaded once, then kept current by
// the `notificationSettingsChanged` event (ChatCache.notificationSettings).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotificationSettingsDto } from '../../protocol';
import { api } from '../api';
import { queryKeys } from '../query-keys';
import { useSyncEngine } from '../sync-engine-provider';

/** The settings, or the defaults until they have loaded. */
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettingsDto = { notificationLevel: 'all', notificationPreviews: true };

export function useNotificationSettings() {
  const query = useQuery({ queryKey: queryKeys.notificationSettings, queryFn: () => api.notificationSettings(), staleTime: Infinity });
  return { settings: query.data ?? DEFAULT_NOTIFICATION_SETTINGS, loaded: query.isSuccess };
}

/** Changes show at once; the server's answer then stands, or a refusal puts the old values back. */
export function useUpdateNotificationSettings() {
  const { cache } = useSyncEngine();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (changes: Partial<NotificationSettingsDto>) => api.updateNotificationSettings(changes),
    onMutate: (changes) => {
      const before = qc.getQueryData<NotificationSettingsDto>(queryKeys.notificationSettings);
      if (before) cache.notificationSettings({ ...before, ...changes });
      return { before };
    },
    onError: (_error, _changes, context) => {
      if (context?.before) cache.notificationSettings(context.before);
    },
    onSuccess: (settings) => cache.notificationSettings(settings),
  });
}
