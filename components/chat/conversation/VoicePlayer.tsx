'use client';
// A voice message: play/pause, its waveform (peaks stored with the attachment) filling as it
// plays, seek by clicking or dragging on it (or the arrow keys), elapsed/total, and the speed
// 1× / 1.5× / 2×. One plays at a time (lib/client/stores/playback.ts); at its end the next voice
// message below it in the conversation starts.
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { Icon } from '@/components/ui/Icon';
import { durationLabel } from '@/lib/client/format';
import { usePlaybackStore } from '@/lib/client/stores/playback';

const SPEEDS = [1, 1.5, 2] as const;
/** Bars drawn when no peaks were stored (an audio file sent as a voice message). */
const FLAT = Array.from({ length: 48 }, () => 30);

/** The next voice player below this one in the page, in conversation order. */
function nextPlayerAfter(id: string): string | null {
  const players = [...document.querySelectorAll<HTMLElement>('[data-voice-player]')];
  const at = players.findIndex((el) => el.dataset.voicePlayer === id);
  return at >= 0 ? (players[at + 1]?.dataset.voicePlayer ?? null) : null;
}

export function VoicePlayer({ id, src, durationSec, waveform, mine }: { id: string; src: string; durationSec: number | null; waveform: number[] | null; mine: boolean }) {
  const audio = useRef<HTMLAudioElement>(null);
  const bars = useRef<HTMLDivElement>(null);
  const [paused, setPaused] = useState(true);
  const [current, setCurrent] = useState(0);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(1);
  const [mediaDuration, setMediaDuration] = useState<number | null>(null);
  const playing = usePlaybackStore((s) => s.playing === id);
  // Recorded WebM often tells no duration until played through: the stored one counts first.
  const total = durationSec ?? (mediaDuration && Number.isFinite(mediaDuration) ? mediaDuration : 0);
  const peaks = waveform && waveform.length > 0 ? waveform : FLAT;

  useEffect(() => {
    const element = audio.current;
    if (!element) return;
    if (playing && element.paused) void element.play().catch(() => usePlaybackStore.getState().stopped(id));
    if (!playing && !element.paused) element.pause();
  }, [playing, id]);

  useEffect(() => {
    if (audio.current) audio.current.playbackRate = speed;
  }, [speed]);

  function seekTo(fraction: number) {
    const element = audio.current;
    if (!element || !total) return;
    const time = Math.min(Math.max(fraction, 0), 1) * total;
    element.currentTime = time;
    setCurrent(time);
  }

  function seekAtPointer(event: PointerEvent<HTMLDivElement>) {
    const box = bars.current?.getBoundingClientRect();
    if (box && box.width > 0) seekTo((event.clientX - box.left) / box.width);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const step = event.key === 'ArrowRight' ? 5 : event.key === 'ArrowLeft' ? -5 : 0;
    if (!step || !total) return;
    event.preventDefault();
    seekTo((current + step) / total);
  }

  const progress = total ? Math.min(current / total, 1) : 0;
  const played = mine ? 'bg-white' : 'bg-indigo-600 dark:bg-indigo-400';
  const unplayed = mine ? 'bg-indigo-300/70' : 'bg-slate-400/60 dark:bg-slate-500';

  return (
    <div className="mb-1 flex w-72 max-w-full items-center gap-2" data-voice-player={id} data-testid="voice-player">
      <audio
        ref={audio}
        src={src}
        preload="metadata"
        data-testid="voice-audio"
        onLoadedMetadata={(e) => setMediaDuration(e.currentTarget.duration)}
        onTimeUpdate={(e) => setCurrent(e.currentTarget.currentTime)}
        onPlay={() => {
          setPaused(false);
          usePlaybackStore.getState().play(id);
        }}
        onPause={() => {
          setPaused(true);
          usePlaybackStore.getState().stopped(id);
        }}
        onEnded={() => {
          setCurrent(0);
          const next = nextPlayerAfter(id);
          if (next) usePlaybackStore.getState().play(next);
          else usePlaybackStore.getState().stopped(id);
        }}
      />
      <button
        type="button"
        className={`flex h-9 w-9 shrink-0 items-center justify-center rounded-full ${mine ? 'bg-white/20 hover:bg-white/30' : 'bg-indigo-600 text-white hover:bg-indigo-500'}`}
        aria-label={paused ? 'Play voice message' : 'Pause voice message'}
        onClick={() => (paused ? usePlaybackStore.getState().play(id) : audio.current?.pause())}
      >
        <Icon name={paused ? 'play' : 'pause'} className="h-4 w-4 fill-current" />
      </button>
      <div className="min-w-0 flex-1">
        <div
          ref={bars}
          role="slider"
          tabIndex={0}
          aria-label="Position in the voice message"
          aria-valuemin={0}
          aria-valuemax={Math.round(total)}
          aria-valuenow={Math.round(current)}
          aria-valuetext={`${durationLabel(current)} of ${durationLabel(total)}`}
          className="flex h-8 cursor-pointer touch-none items-center gap-px"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            seekAtPointer(e);
          }}
          onPointerMove={(e) => {
            if (e.currentTarget.hasPointerCapture(e.pointerId)) seekAtPointer(e);
          }}
          onKeyDown={onKeyDown}
        >
          {peaks.map((peak, i) => (
            <span
              key={i}
              className={`min-w-px flex-1 rounded-full ${(i + 0.5) / peaks.length <= progress ? played : unplayed}`}
              style={{ height: `${Math.max(12, peak)}%` }}
            />
          ))}
        </div>
        <div className={`flex justify-between text-[11px] ${mine ? 'text-indigo-100' : 'text-slate-500 dark:text-slate-400'}`}>
          <span data-testid="voice-time">
            {durationLabel(paused && current === 0 ? total : current)}
            {paused && current === 0 ? '' : ` / ${durationLabel(total)}`}
          </span>
        </div>
      </div>
      <button
        type="button"
        className={`shrink-0 rounded-full px-1.5 py-0.5 text-xs font-semibold ${mine ? 'bg-white/20' : 'bg-slate-200 dark:bg-slate-700'}`}
        aria-label={`Playback speed ${speed}×`}
        onClick={() => setSpeed(SPEEDS[(SPEEDS.indexOf(speed) + 1) % SPEEDS.length]!)}
      >
        {speed}×
      </button>
    </div>
  );
}
