'use client';
// Recording a voice message in the composer: the microphone (asked for on first use), Opus in
// WebM or Ogg as the browser offers, the elapsed time and a live level meter, Cancel or Send, and
// a limit (VOICE_MAX_SECONDS) that sends what was recorded when reached. The level is sampled as
// it records and becomes the waveform stored with the message (peaks 0-100).
import { useEffect, useRef, useState } from 'react';
import { Icon } from '@/components/ui/Icon';
import { durationLabel } from '@/lib/client/format';
import { toWaveform } from '@/lib/client/waveform';

export type Recording = { blob: Blob; durationSec: number; waveform: number[] };

const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/ogg', 'audio/mp4'];
const SAMPLE_MS = 50;
/** Shorter than this is a slip of the finger, not a message. */
const MIN_SECONDS = 0.5;

/** Why recording could not start, in words that say what to do. */
function microphoneProblem(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'Microphone access was refused. Allow the microphone for this site in your browser’s settings, then try again.';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No microphone was found. Connect one, then try again.';
  if (name === 'NotReadableError') return 'The microphone is in use by another app, or not working. Close the other app, then try again.';
  return 'Recording could not start in this browser.';
}

export function VoiceRecorder({ maxSeconds, onSend, onCancel, onError }: { maxSeconds: number; onSend: (recording: Recording) => void; onCancel: () => void; onError: (message: string) => void }) {
  const [elapsed, setElapsed] = useState(0);
  const [level, setLevel] = useState(0);
  const [started, setStarted] = useState(false);
  const finish = useRef<(send: boolean) => void>(() => onCancel());

  useEffect(() => {
    let cancelled = false;
    let cleanup = () => {};
    async function start() {
      if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') return onError('This browser cannot record audio.');
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        return onError(microphoneProblem(error));
      }
      if (cancelled) return stream.getTracks().forEach((track) => track.stop());
      const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
      const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
      const chunks: Blob[] = [];
      recorder.ondataavailable = (event) => {
        if (event.data.size > 0) chunks.push(event.data);
      };
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 1024;
      context.createMediaStreamSource(stream).connect(analyser);
      const samples = new Uint8Array(analyser.fftSize);
      const levels: number[] = [];
      const startedAt = performance.now();
      const seconds = () => (performance.now() - startedAt) / 1000;

      const sampler = setInterval(() => {
        analyser.getByteTimeDomainData(samples);
        let peak = 0;
        for (const sample of samples) peak = Math.max(peak, Math.abs(sample - 128) / 128);
        levels.push(peak);
        setLevel(peak);
        const now = seconds();
        setElapsed(now);
        if (now >= maxSeconds) finish.current(true);
      }, SAMPLE_MS);

      cleanup = () => {
        clearInterval(sampler);
        stream.getTracks().forEach((track) => track.stop());
        void context.close().catch(() => undefined);
      };
      let done = false;
      finish.current = (send) => {
        if (done) return;
        done = true;
        const durationSec = Math.min(Math.round(seconds() * 10) / 10, maxSeconds);
        recorder.onstop = () => {
          cleanup();
          if (!send) return onCancel();
          if (durationSec < MIN_SECONDS) return onError('That was too short to send: hold on a moment longer while you speak.');
          onSend({ blob: new Blob(chunks, { type: recorder.mimeType || mimeType || 'audio/webm' }), durationSec, waveform: toWaveform(levels) });
        };
        recorder.stop();
      };
      recorder.start(250);
      setStarted(true);
    }
    void start();
    return () => {
      cancelled = true;
      cleanup();
    };
    // Starts once per recording; the callbacks of the first render are the ones used.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="flex min-h-10 flex-1 items-center gap-3 rounded-2xl border border-red-300 bg-red-50 px-3 dark:border-red-900 dark:bg-red-950/40" data-testid="voice-recorder">
      <button type="button" className="icon-button h-8 w-8 text-slate-600 dark:text-slate-300" aria-label="Cancel recording" onClick={() => finish.current(false)}>
        <Icon name="trash" className="h-4 w-4" />
      </button>
      <span className={`h-2.5 w-2.5 shrink-0 rounded-full bg-red-600 ${started ? 'animate-pulse' : 'opacity-40'}`} aria-hidden />
      <span className="w-10 font-mono text-sm tabular-nums" data-testid="recording-time" aria-live="off">
        {durationLabel(Math.floor(elapsed))}
      </span>
      <div className="h-2 flex-1 overflow-hidden rounded-full bg-red-100 dark:bg-red-900/50" role="meter" aria-label="Microphone level" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)}>
        <div className="h-full rounded-full bg-red-500 transition-[width] duration-75" style={{ width: `${Math.min(100, Math.round(level * 140))}%` }} />
      </div>
      <span className="hidden text-xs text-slate-500 sm:inline">{started ? `max ${durationLabel(maxSeconds)}` : 'Starting…'}</span>
      <button type="button" className="button-primary h-8 w-8 shrink-0 rounded-full p-0" aria-label="Send voice message" disabled={!started} onClick={() => finish.current(true)}>
        <Icon name="send" className="h-4 w-4" />
      </button>
    </div>
  );
}
