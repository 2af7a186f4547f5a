'use client';
// Writing a message (Markdown: see MessageText): Enter sends, Shift+Enter starts a new line, Escape cancels a reply or edit,
// ArrowUp in an empty box edits my last message. The box grows with its text up to a limit.
// A file (chosen or pasted) is sent at once, with the text in the box as its caption. Typing `@`
// opens the member picker (useMentionPicker), which has the keys first while it is open. The
// microphone records a voice message in place of the box (./VoiceRecorder.tsx).
import { useEffect, useLayoutEffect, useRef, useState, type ClipboardEvent, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ConversationDto, MessageDto } from '@/lib/protocol';
import { Icon } from '@/components/ui/Icon';
import { useDraftStore } from '@/lib/client/stores/drafts';
import { uploadOptions } from '@/lib/client/uploads';
import { CharacterCounter, overLimit } from './CharacterCounter';
import { MENTION_LIST_ID, MentionPicker, mentionOptionId } from './MentionPicker';
import { useMentionPicker } from './useMentionPicker';
import { VoiceRecorder, type Recording } from './VoiceRecorder';

/** Until the server said otherwise (GET /api/uploads). */
const DEFAULT_VOICE_MAX_SECONDS = 600;

export type ComposerMode = { kind: 'reply'; message: MessageDto } | { kind: 'edit'; message: MessageDto } | null;

const MAX_HEIGHT_PX = 160;

export function Composer({
  conversationId,
  conversationName,
  mentionable,
  mode,
  onCancelMode,
  onSend,
  onSendFile,
  onSendVoice,
  onSaveEdit,
  onEditLast,
  onTyping,
  onStopTyping,
  draftKey = conversationId,
  inputId = 'composer',
  label = `Message ${conversationName}`,
  footer,
}: {
  conversationId: string;
  conversationName: string;
  /** Who can be mentioned here (the members, and me for my role). */
  mentionable: { conversation: Pick<ConversationDto, 'type' | 'participants'>; meId: string };
  mode: ComposerMode;
  onCancelMode: () => void;
  onSend: (content: string) => void;
  onSendFile: (file: File, caption: string) => void;
  /** Where voice messages go; without it the composer offers no microphone. */
  onSendVoice?: (recording: Recording) => void;
  /** Resolves when saved; rejects with the reason it was refused. */
  onSaveEdit: (message: MessageDto, content: string) => Promise<void>;
  onEditLast: () => void;
  onTyping: () => void;
  onStopTyping: () => void;
  /** Where the unsent text is kept (a thread's composer keeps its own). */
  draftKey?: string;
  /** The text box's id and accessible name (two composers can share a page). */
  inputId?: string;
  label?: string;
  /** Under the box (the thread composer's "Also send to the conversation"). */
  footer?: ReactNode;
}) {
  const draft = useDraftStore((s) => s.drafts[draftKey] ?? '');
  const setDraft = useDraftStore((s) => s.setDraft);
  const [editText, setEditText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [recording, setRecording] = useState(false);
  const { data: uploadSettings } = useQuery({ queryKey: ['upload-options'], queryFn: uploadOptions, staleTime: Infinity });
  const input = useRef<HTMLTextAreaElement>(null);
  const filePicker = useRef<HTMLInputElement>(null);
  const editing = mode?.kind === 'edit' ? mode.message : null;
  // Editing works on the message's text; the draft waits untouched until the edit is done.
  const text = editing ? editText : draft;
  const setText = (value: string) => (editing ? setEditText(value) : setDraft(draftKey, value));
  const mentions = useMentionPicker({ ...mentionable, input, text, setText });

  // Entering edit mode puts the message's text in the box; any mode change focuses it.
  const [modeFor, setModeFor] = useState<ComposerMode>(null);
  if (mode !== modeFor) {
    setModeFor(mode);
    setError(null);
    if (mode?.kind === 'edit') setEditText(mode.message.content);
  }
  useEffect(() => {
    if (mode) input.current?.focus();
  }, [mode]);

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  async function submit() {
    const content = text.trim();
    // Too long: the counter says so; the text stays in the box, whole.
    if (!content || overLimit(content)) return;
    if (editing) {
      if (content === editing.content) return onCancelMode();
      try {
        await onSaveEdit(editing, content);
        onCancelMode();
      } catch (e) {
        setError(e instanceof Error ? e.message : 'Could not save the edit.');
      }
      return;
    }
    onSend(content);
    setText('');
    onStopTyping();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (mentions.onKeyDown(event)) return;
    // Enter while an input method is composing (Japanese, Chinese…) confirms the text, not sends.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && mode) {
      event.preventDefault();
      onCancelMode();
    } else if (event.key === 'ArrowUp' && !text && !mode) {
      event.preventDefault();
      onEditLast();
    }
  }

  function sendFiles(files: Iterable<File>) {
    // A text too long to be a caption stays in the box (the counter says why); the file goes alone.
    const keepText = overLimit(text.trim());
    let caption = keepText ? '' : text.trim();
    for (const file of files) {
      onSendFile(file, caption);
      caption = '';
    }
    if (!keepText) setText('');
    onStopTyping();
    input.current?.focus();
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...event.clipboardData.files];
    if (files.length === 0 || editing) return;
    event.preventDefault();
    sendFiles(files);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void submit();
  }

  return (
    <form onSubmit={onSubmit} className="shrink-0 border-t border-slate-200 bg-white px-3 pt-2 pb-[max(0.5rem,env(safe-area-inset-bottom))] md:px-6 dark:border-slate-800 dark:bg-slate-950">
      {mode ? (
        <div className="mb-2 flex items-start gap-2 rounded-lg border-l-4 border-indigo-500 bg-slate-50 px-3 py-1.5 text-sm dark:bg-slate-900" data-testid="composer-context">
          <Icon name={mode.kind === 'edit' ? 'edit' : 'reply'} className="mt-0.5 h-4 w-4 shrink-0 text-indigo-500" />
          <div className="min-w-0 flex-1">
            <div className="font-medium text-indigo-700 dark:text-indigo-300">{mode.kind === 'edit' ? 'Editing message' : `Replying to ${mode.message.sender.name}`}</div>
            <div className="truncate text-slate-600 dark:text-slate-400">{mode.message.content}</div>
          </div>
          <button type="button" onClick={onCancelMode} className="icon-button h-7 w-7" aria-label={mode.kind === 'edit' ? 'Cancel editing' : 'Cancel reply'}>
            <Icon name="close" className="h-4 w-4" />
          </button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mb-2 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <CharacterCounter text={text} />
      <div className="relative flex items-end gap-2">
        {mentions.open ? (
          <MentionPicker options={mentions.options} active={mentions.active} onHover={mentions.setActive} onPick={mentions.pick} />
        ) : null}
        <input
          ref={filePicker}
          type="file"
          multiple
          className="sr-only"
          tabIndex={-1}
          aria-hidden
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files?.length) sendFiles([...e.target.files]);
            e.target.value = '';
          }}
        />
        <button
          type="button"
          className="icon-button h-10 w-10"
          aria-label="Attach a file"
          title="Attach a file"
          disabled={Boolean(editing)}
          onClick={() => filePicker.current?.click()}
        >
          <Icon name="paperclip" />
        </button>
        {recording ? (
          <VoiceRecorder
            maxSeconds={uploadSettings?.voiceMaxSeconds ?? DEFAULT_VOICE_MAX_SECONDS}
            onCancel={() => {
              setRecording(false);
              input.current?.focus();
            }}
            onError={(message) => {
              setRecording(false);
              setError(message);
            }}
            onSend={(voice) => {
              setRecording(false);
              onSendVoice?.(voice);
            }}
          />
        ) : (
          <>
          <label htmlFor={inputId} className="sr-only">
            {label}
          </label>
          <textarea
            id={inputId}
            ref={input}
            rows={1}
            value={text}
            aria-invalid={overLimit(text) || undefined}
            aria-autocomplete="list"
            aria-controls={mentions.open ? MENTION_LIST_ID : undefined}
            aria-activedescendant={mentions.open ? mentionOptionId(mentions.active) : undefined}
            onChange={(e) => {
              setText(e.target.value);
              mentions.track(e.target.value, e.target.selectionStart);
              if (editing) return;
              // Clearing the box counts as stopping.
              if (e.target.value) onTyping();
              else onStopTyping();
            }}
            onSelect={(e) => mentions.track(e.currentTarget.value, e.currentTarget.selectionStart)}
            onBlur={() => {
              mentions.close();
              onStopTyping();
            }}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            placeholder={label}
            className="block max-h-40 min-h-10 flex-1 resize-none rounded-2xl border border-slate-300 bg-white px-4 py-2 text-base leading-6 outline-none md:text-[15px] placeholder:text-slate-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
          />
          {text.trim() || editing || !onSendVoice ? null : (
            <button
              type="button"
              className="icon-button h-10 w-10 shrink-0"
              aria-label="Record a voice message"
              title="Record a voice message"
              onClick={() => {
                setError(null);
                setRecording(true);
              }}
            >
              <Icon name="mic" />
            </button>
          )}
          <button type="submit" className="button-primary h-10 w-10 shrink-0 rounded-full p-0" aria-label={editing ? 'Save edit' : 'Send'} disabled={!text.trim() || overLimit(text.trim())}>
            <Icon name={editing ? 'check' : 'send'} className="h-5 w-5" />
          </button>
          </>
        )}
      </div>
      {footer}
    </form>
  );
}
