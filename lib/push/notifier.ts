// The chat notifier with Web Push added: a new message reaches connected sockets as before, and
// queues its pushes. A queue that cannot be reached costs the pushes, never the send.
import type { ChatNotifier } from '../chat/notifier';
import type { Logger } from '../logger';
import type { PushDispatcher } from './dispatcher';

export function withPush(inner: ChatNotifier, push: Pick<PushDispatcher, 'messageCreated'>, logger: Logger): ChatNotifier {
  return {
    ...inner,
    async messageCreated(message, conversation) {
      await inner.messageCreated(message, conversation);
      await push.messageCreated({ messageId: message.id, conversationId: message.conversationId, senderId: message.senderId }).catch((error: unknown) => logger.warn({ err: error, messageId: message.id }, 'push: could not queue a message'));
    },
  };
}
