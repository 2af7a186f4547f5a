'use client';
// The open conversation: header, messages, who is typing, the composer, and the search and info
// panels. It owns the composer's reply/edit mode and the delete confirmation.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ConversationDto, MessageDto, ReplyPreviewDto, UserSummary } from '@/lib/protocol';
import { LIMITS } from '@/lib/protocol';
import { Modal } from '@/components/ui/Modal';
import { Icon } from '@/components/ui/Icon';
import { useDraftStore } from '@/lib/client/stores/drafts';
import { conversationTitle } from '@/lib/client/format';
import { useTyping } from '@/lib/client/hooks/useTyping';
import { flattenPages } from '@/lib/client/message-cache';
import { useJumpStore } from '@/lib/client/stores/jump';
import { useAnnouncerStore } from '@/lib/client/stores/announcer';
import { useThreadStore } from '@/lib/client/stores/thread';
import { ThreadPanel } from '@/components/chat/thread/ThreadPanel';
import { useSyncEngine } from '@/lib/client/sync-engine-provider';
import { useIsServerAdmin } from '@/lib/client/server-admin';
import { RemoveMessageDialog } from '@/components/admin/RemoveMessageDialog';
import { Composer, type ComposerMode } from './Composer';
import type { Recording } from './VoiceRecorder';
import { ConversationHeader } from './ConversationHeader';
import { InfoPanel } from './InfoPanel';
import { LeftConversationBar } from './LeftConversationBar';
import { MessageList } from './MessageList';
import { SearchPanel } from './SearchPanel';
import { TypingIndicator } from './TypingIndicator';

type Panel = 'search' | 'info' | null;

export function ConversationView({ conversation, me, onBack }: { conversation: ConversationDto; me: UserSummary; onBack: () => void }) {
  const engine = useSyncEngine();
  const jumpTo = useJumpStore((s) => s.jumpTo);
  const { sentence, notifyTyping, stopTyping } = useTyping(conversation.id);
  const [mode, setMode] = useState<ComposerMode>(null);
  const [panel, setPanelState] = useState<Panel>(null);
  // The open thread lives in a store (a search elsewhere can open one); it is this panel's only
  // when it belongs to this conversation, and any other panel closes it.
  const openThread = useThreadStore((s) => (s.open?.conversationId === conversation.id ? s.open : null));
  const showThread = useThreadStore((s) => s.openThread);
  const closeThread = useThreadStore((s) => s.close);
  const setPanel = (next: Panel | ((p: Panel) => Panel)) => {
    closeThread();
    setPanelState(next);
  };
  const [deleting, setDeleting] = useState<MessageDto | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed: the overlay shows while the count is above 0.
  const dragDepth = useRef(0);
  const title = conversationTitle(conversation, me.id);
  const isServerAdmin = useIsServerAdmin();
  const [removing, setRemoving] = useState<MessageDto | null>(null);

  const onReply = useCallback((message: MessageDto) => setMode({ kind: 'reply', message }), []);
  const onEdit = useCallback((message: MessageDto) => setMode({ kind: 'edit', message }), []);
  const onDelete = useCallback((message: MessageDto) => {
    setDeleteError(null);
    setDeleting(message);
  }, []);
  const onOpenThread = useCallback(
    (rootId: string) => {
      setPanelState(null);
      showThread(conversation.id, rootId);
    },
    [showThread, conversation.id],
  );
  const onReact = useCallback(
    (message: MessageDto, emoji: string, add: boolean) => {
      engine.react(message.conversationId, message.id, emoji, add).catch((error: unknown) => {
        useAnnouncerStore.getState().announce(error instanceof Error ? error.message : 'Could not react.');
      });
    },
    [engine],
  );
  const names = useMemo(() => new Map(conversation.participants.map((p) => [p.user.id, p.user.name])), [conversation.participants]);
  const nameOf = useCallback((userId: string) => names.get(userId) ?? 'Someone', [names]);
  const threadHandlers = useMemo(
    () => ({
      onJump: (messageId: string) => jumpTo(conversation.id, messageId),
      onRetry: (clientId: string) => engine.retry(clientId),
      onDiscard: (clientId: string) => engine.discard(clientId),
      onCancelUpload: (clientId: string) => engine.cancelUpload(clientId),
      onReact,
      nameOf,
    }),
    [jumpTo, conversation.id, engine, onReact, nameOf],
  );

  /** The quote a pending reply shows until the server's own preview replaces it. */
  function replyPreview(): ReplyPreviewDto | null {
    if (mode?.kind !== 'reply') return null;
    const { id, senderId, sender, content, messageType } = mode.message;
    return { id, senderId, senderName: sender.name, content: content.slice(0, LIMITS.replyPreviewChars), messageType, deletedAt: null };
  }

  function send(content: string) {
    engine.send({ conversationId: conversation.id, content, replyTo: replyPreview() });
    if (mode?.kind === 'reply') setMode(null);
  }

  function sendFile(file: File, caption: string) {
    engine.sendFile({ conversationId: conversation.id, content: caption, replyTo: replyPreview(), file, fileName: file.name || 'file' });
    if (mode?.kind === 'reply') setMode(null);
  }

  function sendVoice({ blob, durationSec, waveform }: Recording) {
    const extension = blob.type.includes('ogg') ? 'ogg' : blob.type.includes('mp4') ? 'm4a' : 'webm';
    engine.sendFile({
      conversationId: conversation.id,
      content: '',
      replyTo: replyPreview(),
      file: blob,
      fileName: `Voice message ${new Date().toISOString().slice(0, 19).replace('T', ' ')}.${extension}`,
      meta: { durationSec, waveform },
      voice: true,
    });
    if (mode?.kind === 'reply') setMode(null);
  }

  /** Files dropped on the conversation: each its own message, in order; the draft is the first one's caption. */
  function sendDropped(files: File[]) {
    if (files.length === 0 || mode?.kind === 'edit') return;
    const drafts = useDraftStore.getState();
    let caption = (drafts.drafts[conversation.id] ?? '').trim();
    for (const file of files) {
      sendFile(file, caption);
      caption = '';
    }
    drafts.setDraft(conversation.id, '');
  }

  async function saveEdit(message: MessageDto, content: string) {
    await engine.editMessage(message.id, content);
  }

  function editLast() {
    const mine = flattenPages(engine.cache.messages(conversation.id)).filter(
      (m) => m.senderId === me.id && !m.deletedAt && m.messageType === 'text' && Date.now() - Date.parse(m.createdAt) < LIMITS.editWindowMs,
    );
    const last = mine[mine.length - 1];
    if (last) setMode({ kind: 'edit', message: last });
  }

  async function confirmDelete() {
    if (!deleting) return;
    try {
      await engine.deleteMessage(conversation.id, deleting.id);
      setDeleting(null);
    } catch (e) {
      setDeleteError(e instanceof Error ? e.message : 'Could not delete the message.');
    }
  }

  return (
    <div className="relative flex min-h-0 min-w-0 flex-1">
      <section
        aria-label={`Conversation with ${title}`}
        className="relative flex min-h-0 min-w-0 flex-1 flex-col"
        onDragEnter={(event) => {
          if (!event.dataTransfer.types.includes('Files')) return;
          event.preventDefault();
          dragDepth.current += 1;
          setDragging(true);
        }}
        onDragOver={(event) => {
          if (!event.dataTransfer.types.includes('Files')) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = mode?.kind === 'edit' ? 'none' : 'copy';
        }}
        onDragLeave={() => {
          dragDepth.current = Math.max(0, dragDepth.current - 1);
          if (dragDepth.current === 0) setDragging(false);
        }}
        onDrop={(event) => {
          if (!event.dataTransfer.types.includes('Files')) return;
          event.preventDefault();
          dragDepth.current = 0;
          setDragging(false);
          sendDropped([...event.dataTransfer.files]);
        }}
      >
        {dragging ? (
          <div className="pointer-events-none absolute inset-2 z-20 flex flex-col items-center justify-center gap-2 rounded-2xl border-2 border-dashed border-indigo-500 bg-indigo-50/90 text-indigo-700 dark:bg-indigo-950/90 dark:text-indigo-200" data-testid="drop-zone">
            <Icon name="upload" className="h-8 w-8" />
            <span className="font-medium">Drop files to send them to {title}</span>
          </div>
        ) : null}
        <ConversationHeader
          conversation={conversation}
          meId={me.id}
          onBack={onBack}
          onSearch={() => setPanel((p) => (p === 'search' ? null : 'search'))}
          onInfo={() => setPanel((p) => (p === 'info' ? null : 'info'))}
          searchOpen={panel === 'search'}
          infoOpen={panel === 'info'}
        />
        <MessageList
          conversation={conversation}
          me={me}
          onReply={onReply}
          onEdit={onEdit}
          onDelete={onDelete}
          // A conversation I left is read-only: no reactions, no threads.
          onReact={conversation.left ? undefined : onReact}
          onOpenThread={conversation.left ? undefined : onOpenThread}
          nameOf={nameOf}
          onRemoveAsAdmin={isServerAdmin ? setRemoving : undefined}
        />
        {conversation.left ? (
          <LeftConversationBar conversation={conversation} onForgotten={onBack} />
        ) : (
          <>
        <TypingIndicator sentence={sentence} />
        <Composer
          conversationId={conversation.id}
          conversationName={title}
          mentionable={{ conversation, meId: me.id }}
          mode={mode}
          onCancelMode={() => setMode(null)}
          onSend={send}
          onSendFile={sendFile}
          onSendVoice={sendVoice}
          onSaveEdit={saveEdit}
          onEditLast={editLast}
          onTyping={notifyTyping}
          onStopTyping={stopTyping}
        />
          </>
        )}
      </section>

      {panel === 'search' ? (
        <SearchPanel
          conversationId={conversation.id}
          onClose={() => setPanel(null)}
          onPick={(m) => {
            // On phones the panel covers the messages: close it to show the jump.
            if (window.matchMedia('(max-width: 1023px)').matches) setPanel(null);
            // A reply that lives only in its thread: to its top message, and the thread opens at it.
            if (m.threadRootId && !m.alsoInConversation) {
              jumpTo(conversation.id, m.threadRootId);
              showThread(conversation.id, m.threadRootId, m.id);
            } else {
              jumpTo(conversation.id, m.id);
            }
          }}
        />
      ) : null}
      {openThread ? (
        <ThreadPanel
          key={openThread.rootId}
          conversation={conversation}
          me={me}
          rootId={openThread.rootId}
          focusId={openThread.focusId}
          focusSeq={openThread.seq}
          handlers={threadHandlers}
          onDelete={onDelete}
          onClose={closeThread}
        />
      ) : null}
      {panel === 'info' ? <InfoPanel conversation={conversation} me={me} onClose={() => setPanel(null)} onLeft={onBack} /> : null}

      {deleting ? (
        <Modal title="Delete message?" onClose={() => setDeleting(null)}>
          <p className="text-sm text-slate-600 dark:text-slate-400">It will be removed for everyone in this conversation.</p>
          {deleteError ? (
            <p role="alert" className="mt-2 text-sm text-red-600">
              {deleteError}
            </p>
          ) : null}
          <div className="mt-5 flex justify-end gap-2">
            <button type="button" className="button-secondary" onClick={() => setDeleting(null)}>
              Cancel
            </button>
            <button type="button" className="button-danger" onClick={() => void confirmDelete()}>
              Delete
            </button>
          </div>
        </Modal>
      ) : null}
      {removing ? (
        <RemoveMessageDialog
          message={removing}
          onRemoved={() => engine.cache.deletedMessage(conversation.id, removing.id, true)}
          onClose={() => setRemoving(null)}
        />
      ) : null}
    </div>
  );
}
