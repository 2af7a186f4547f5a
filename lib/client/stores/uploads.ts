// Files on their way up, by the clientId of their message: how far each upload is, and a local
// preview (an object URL) of a picture or recording while it uploads. Not kept across reloads.
import { create } from 'zustand';
import type { UploadProgress } from '../uploads';

type UploadsState = {
  progress: Record<string, UploadProgress>;
  previews: Record<string, string>;
  setProgress: (clientId: string, progress: UploadProgress) => void;
  setPreview: (clientId: string, url: string) => void;
  /** Forgets an upload (done, failed or cancelled) and frees its preview. */
  forget: (clientId: string) => void;
};

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

export const useUploadsStore = create<UploadsState>()((set, get) => ({
  progress: {},
  previews: {},
  setProgress: (clientId, progress) => set((state) => ({ progress: { ...state.progress, [clientId]: progress } })),
  setPreview: (clientId, url) => set((state) => ({ previews: { ...state.previews, [clientId]: url } })),
  forget: (clientId) => {
    const preview = get().previews[clientId];
    if (preview) URL.revokeObjectURL(preview);
    set((state) => ({ progress: without(state.progress, clientId), previews: without(state.previews, clientId) }));
  },
}));
