// "Alice is typing…" under the messages. The line keeps its height when empty, so the
// conversation does not jump each time someone starts or stops typing.
export function TypingIndicator({ sentence }: { sentence: string | null }) {
  return (
    <div className="h-6 shrink-0 px-4 text-xs text-slate-500 md:px-7 dark:text-slate-400">
      {sentence ? (
        <span data-testid="typing-indicator" className="inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-flex gap-0.5">
            <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-current [animation-delay:-0.3s]" />
            <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-current [animation-delay:-0.15s]" />
            <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-current" />
          </span>
          {sentence}
        </span>
      ) : null}
    </div>
  );
}
