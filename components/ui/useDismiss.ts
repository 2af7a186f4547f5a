'use client';
// Closes an open popover (a menu, a picker, a panel) when the pointer is pressed outside it and,
// when asked, on Escape, giving focus back to the button that opened it. A popover that handles
// its own keys (a menu moving with the arrows) leaves `escapeFocus` out and handles Escape itself.
import { useEffect, useRef, type RefObject } from 'react';

type Dismiss = {
  /** Presses inside any of these keep the popover open (the popover, and often its button). */
  inside: readonly RefObject<HTMLElement | null>[];
  /** Escape closes it and focuses this (the button that opened it). */
  escapeFocus?: RefObject<HTMLElement | null>;
};

export function useDismiss(open: boolean, close: () => void, { inside, escapeFocus }: Dismiss): void {
  // The latest close and refs, so the listeners are added once per opening, not per render.
  const latest = useRef({ close, inside, escapeFocus });
  useEffect(() => {
    latest.current = { close, inside, escapeFocus };
  });

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!latest.current.inside.some((ref) => ref.current?.contains(target))) latest.current.close();
    };
    const onKey = (event: KeyboardEvent) => {
      const focus = latest.current.escapeFocus;
      if (event.key !== 'Escape' || !focus) return;
      latest.current.close();
      focus.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
}
