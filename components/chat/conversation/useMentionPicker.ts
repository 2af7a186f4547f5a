'use client';
// The composer's member picker: opens while an `@name` is being typed before the caret, offers
// members (and @here/@all to a group's admins), and is driven from the text box's keys: arrows
// move, Enter or Tab picks, Escape closes. Picking writes `@username ` in place of what was typed.
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { ConversationDto } from '@/lib/protocol';
import { insertMention, mentionAtCaret, mentionOptions, type MentionOption } from '@/lib/client/mentions';

type Typed = { start: number; query: string };

export type MentionPicker = {
  open: boolean;
  options: MentionOption[];
  active: number;
  setActive: (index: number) => void;
  pick: (option: MentionOption) => void;
  /** Call after the text or the caret moved. */
  track: (text: string, caret: number) => void;
  /** Handles the key if the picker is open; returns whether it did. */
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  close: () => void;
};

export function useMentionPicker({
  conversation,
  meId,
  input,
  text,
  setText,
}: {
  conversation: Pick<ConversationDto, 'type' | 'participants'>;
  meId: string;
  input: RefObject<HTMLTextAreaElement | null>;
  text: string;
  setText: (text: string) => void;
}): MentionPicker {
  const [typed, setTyped] = useState<Typed | null>(null);
  const [active, setActive] = useState(0);
  // Escape closes the picker for this `@` until the caret leaves it.
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const caretAfterPick = useRef<number | null>(null);

  const options = useMemo(() => (typed ? mentionOptions(conversation, meId, typed.query) : []), [typed, conversation, meId]);
  const open = typed !== null && typed.start !== dismissedAt && options.length > 0;

  useLayoutEffect(() => {
    const caret = caretAfterPick.current;
    if (caret === null || !input.current) return;
    caretAfterPick.current = null;
    input.current.setSelectionRange(caret, caret);
  }, [text, input]);

  function track(value: string, caret: number) {
    const next = mentionAtCaret(value, caret);
    if (next?.start !== typed?.start || next?.query !== typed?.query) setActive(0);
    if (next?.start !== dismissedAt) setDismissedAt(null);
    setTyped(next);
  }

  function pick(option: MentionOption) {
    if (!typed) return;
    const inserted = insertMention(text, typed, option.insert);
    caretAfterPick.current = inserted.caret;
    setText(inserted.text);
    setTyped(null);
    input.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open || event.nativeEvent.isComposing) return false;
    const move = (by: number) => setActive((i) => (i + by + options.length) % options.length);
    switch (event.key) {
      case 'ArrowDown':
        move(1);
        break;
      case 'ArrowUp':
        move(-1);
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        pick(options[Math.min(active, options.length - 1)]!);
        break;
      case 'Escape':
        setDismissedAt(typed!.start);
        break;
      default:
        return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  return { open, options, active: Math.min(active, Math.max(0, options.length - 1)), setActive, pick, track, onKeyDown, close: () => setTyped(null) };
}
