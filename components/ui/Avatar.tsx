// A round avatar: the picture when there is one, else initials on a colour derived from the id
// (stable across sessions), with an optional presence dot.
import { initials } from '@/lib/client/format';

const COLOURS = ['bg-rose-500', 'bg-orange-500', 'bg-amber-500', 'bg-emerald-500', 'bg-teal-500', 'bg-sky-500', 'bg-indigo-500', 'bg-violet-500', 'bg-fuchsia-500'];

function colourFor(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i += 1) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return COLOURS[Math.abs(hash) % COLOURS.length]!;
}

const SIZES = { sm: 'h-8 w-8 text-xs', md: 'h-10 w-10 text-sm', lg: 'h-12 w-12 text-base' } as const;

export function Avatar({
  id,
  name,
  url,
  size = 'md',
  online,
}: {
  id: string;
  name: string;
  url?: string | null;
  size?: keyof typeof SIZES;
  /** undefined: no dot (groups); true/false: online or offline. */
  online?: boolean;
}) {
  return (
    <span className={`relative inline-flex shrink-0 ${SIZES[size]}`}>
      {url ? (
        <img src={url} alt="" className="h-full w-full rounded-full object-cover" />
      ) : (
        <span aria-hidden className={`flex h-full w-full items-center justify-center rounded-full font-semibold text-white ${colourFor(id)}`}>
          {initials(name)}
        </span>
      )}
      {online === undefined ? null : <PresenceDot online={online} />}
    </span>
  );
}

export function PresenceDot({ online, className = 'absolute -right-0.5 -bottom-0.5' }: { online: boolean; className?: string }) {
  return (
    <span
      data-testid="presence-dot"
      data-online={online}
      role="img"
      aria-label={online ? 'Online' : 'Offline'}
      title={online ? 'Online' : 'Offline'}
      className={`${className} h-3.5 w-3.5 rounded-full border-2 border-white dark:border-slate-900 ${online ? 'bg-emerald-500' : 'bg-slate-300 dark:bg-slate-600'}`}
    />
  );
}
