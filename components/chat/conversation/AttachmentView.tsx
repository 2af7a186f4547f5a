'use client';
// What a message carries: a picture (its space reserved from the stored size, the thumbnail when
// there is one, the original in a lightbox on click), a voice message (the player), other audio
// and video in place, and any other file as a card to open or download. While a file of mine
// uploads: its preview, a progress bar and Cancel.
import { useState } from 'react';
import { Icon } from '@/components/ui/Icon';
import type { AttachmentDto } from '@/lib/protocol';
import { durationLabel } from '@/lib/client/format';
import type { OutgoingMessage } from '@/lib/client/stores/outbox';
import { useUploadsStore } from '@/lib/client/stores/uploads';
import { Lightbox } from './Lightbox';
import { VoicePlayer } from './VoicePlayer';

const MAX_W = 320;
const MAX_H = 288;
const MIN_EDGE = 64;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The box a picture of this size takes in a bubble: within MAX_W × MAX_H, tiny ones grown to MIN_EDGE. */
function displayBox(width: number, height: number): { width: number; height: number } {
  const shrink = Math.min(1, MAX_W / width, MAX_H / height);
  const grow = Math.max(1, MIN_EDGE / Math.min(width, height));
  const scale = shrink < 1 ? shrink : Math.min(grow, MAX_W / width, MAX_H / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function ImageAttachment({ attachment }: { attachment: AttachmentDto }) {
  const [open, setOpen] = useState(false);
  const box = attachment.width && attachment.height ? displayBox(attachment.width, attachment.height) : null;
  return (
    <>
      <button type="button" className="mb-1 block overflow-hidden rounded-lg" data-testid="attachment-image" aria-label={`Open ${attachment.fileName}`} onClick={() => setOpen(true)}>
        <img
          src={attachment.thumbnailUrl ?? attachment.url}
          alt={attachment.fileName}
          // The stored size: the space is taken before a byte arrives, so nothing below jumps.
          width={box?.width}
          height={box?.height}
          style={box ? { width: box.width, height: box.height } : undefined}
          className={box ? 'bg-slate-200 object-cover dark:bg-slate-700' : 'max-h-72 min-h-16 min-w-16 object-contain'}
          loading="lazy"
        />
      </button>
      {open ? <Lightbox attachment={attachment} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function FileAttachment({ attachment, mine }: { attachment: AttachmentDto; mine: boolean }) {
  const kind = attachment.mimeType === 'application/pdf' ? 'PDF' : (attachment.fileName.match(/\.([A-Za-z0-9]{1,8})$/)?.[1]?.toUpperCase() ?? 'File');
  return (
    <a
      href={attachment.url}
      target="_blank"
      rel="noopener noreferrer"
      download={attachment.fileName}
      data-testid="attachment-file"
      className={`mb-1 flex w-72 max-w-full items-center gap-3 rounded-xl px-3 py-2 ${mine ? 'bg-white/15 hover:bg-white/25' : 'bg-white hover:bg-slate-50 dark:bg-slate-900 dark:hover:bg-slate-950'}`}
    >
      <span className={`flex h-10 w-10 shrink-0 items-center justify-center rounded-lg ${mine ? 'bg-white/20' : 'bg-indigo-100 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300'}`}>
        <Icon name="file" className="h-5 w-5" />
      </span>
      <span className="min-w-0 flex-1">
        <span className="block truncate font-medium">{attachment.fileName}</span>
        <span className="block text-xs opacity-75">
          {kind} · {formatSize(attachment.size)}
        </span>
      </span>
      <Icon name="download" className="h-4 w-4 shrink-0 opacity-75" />
    </a>
  );
}

export function AttachmentView({ attachment, voice, mine }: { attachment: AttachmentDto; voice: boolean; mine: boolean }) {
  const { mimeType, url, fileName } = attachment;
  if (mimeType.startsWith('image/')) return <ImageAttachment attachment={attachment} />;
  if (mimeType.startsWith('audio/') && (voice || attachment.waveform)) {
    return <VoicePlayer id={attachment.id} src={url} durationSec={attachment.durationSec} waveform={attachment.waveform} mine={mine} />;
  }
  if (mimeType.startsWith('audio/')) return <audio controls src={url} className="mb-1 max-w-full" aria-label={fileName} />;
  if (mimeType.startsWith('video/')) return <video controls src={url} className="mb-1 max-h-72 max-w-full rounded-lg" aria-label={fileName} />;
  return <FileAttachment attachment={attachment} mine={mine} />;
}

/** A file of mine on its way up: what it is, how far along, and Cancel. */
export function UploadingAttachment({ outgoing, onCancel }: { outgoing: OutgoingMessage; onCancel: () => void }) {
  const progress = useUploadsStore((s) => s.progress[outgoing.clientId]);
  const preview = useUploadsStore((s) => s.previews[outgoing.clientId]);
  const failed = outgoing.status === 'failed';
  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  const label = outgoing.messageType === 'voice' ? `Voice message (${durationLabel(outgoing.durationSec ?? 0)})` : (outgoing.fileName ?? 'file');
  return (
    <div className="mb-1 w-72 max-w-full" data-testid="attachment-uploading">
      {preview && outgoing.messageType === 'image' ? <img src={preview} alt="" className="mb-1 max-h-48 rounded-lg object-contain opacity-70" /> : null}
      <div className="flex items-center gap-2 text-sm">
        <Icon name={outgoing.messageType === 'voice' ? 'mic' : 'paperclip'} className="h-4 w-4 shrink-0" />
        <span className="min-w-0 flex-1 truncate">{failed ? label : `Uploading ${label}…`}</span>
        {failed ? null : (
          <button type="button" className="shrink-0 text-xs font-semibold underline" onClick={onCancel} aria-label={`Cancel upload of ${outgoing.fileName ?? 'file'}`}>
            Cancel
          </button>
        )}
      </div>
      {failed ? null : (
        <div
          className="mt-1 h-1.5 overflow-hidden rounded-full bg-black/15 dark:bg-white/15"
          role="progressbar"
          aria-label={`Uploading ${outgoing.fileName ?? 'file'}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          data-testid="upload-progress"
        >
          <div className="h-full rounded-full bg-current transition-[width]" style={{ width: `${percent}%` }} />
        </div>
      )}
    </div>
  );
}
