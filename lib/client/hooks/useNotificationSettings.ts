'use client';
// My notification settings (default level, message previews): loaded once, then kept current by
// the `notificationSettingsChanged` event (ChatCache.notificationSettings).
import { useMutation, useQuery } from '@tanstack/react-query';
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

export function useUpdateNotificationSettings() {
  const { cache } = useSyncEngine();
  return useMutation({
    mutationFn: (changes: Partial<NotificationSettingsDto>) => api.updateNotificationSettings(changes),
    onSuccess: (settings) => cache.notificationSettings(settings),
  });
}
