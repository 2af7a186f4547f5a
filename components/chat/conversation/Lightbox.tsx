'use client';
// A picture opened from the conversation: the original, as large as the window allows, on a dark
// backdrop. Escape, the close button or a click beside the picture closes it; it can be saved.
import { DialogShell } from '@/components/ui/Modal';
import { Icon } from '@/components/ui/Icon';
import type { AttachmentDto } from '@/lib/protocol';

export function Lightbox({ attachment, onClose }: { attachment: AttachmentDto; onClose: () => void }) {
  const besidePicture = (event: React.MouseEvent) => event.target === event.currentTarget && onClose();
  return (
    <DialogShell
      label={attachment.fileName}
      testId="lightbox"
      onClose={onClose}
      className="m-0 h-full max-h-none w-full max-w-none bg-slate-950/90 p-0 text-white backdrop:bg-slate-950/80"
    >
      <div className="flex h-full flex-col" onClick={besidePicture}>
        <div className="flex items-center gap-2 px-4 py-2">
          <span className="min-w-0 flex-1 truncate text-sm">{attachment.fileName}</span>
          <a href={attachment.url} download={attachment.fileName} className="icon-button text-white" aria-label="Download" title="Download">
            <Icon name="download" />
          </a>
          <button type="button" onClick={onClose} className="icon-button text-white" aria-label="Close">
            <Icon name="close" />
          </button>
        </div>
        <div className="flex min-h-0 flex-1 items-center justify-center p-4" onClick={besidePicture}>
          <img
            src={attachment.url}
            alt={attachment.fileName}
            width={attachment.width ?? undefined}
            height={attachment.height ?? undefined}
            className="max-h-full max-w-full object-contain"
          />
        </div>
      </div>
    </DialogShell>
  );
}
