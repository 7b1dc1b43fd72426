import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type ConversationList,
  type Message,
  type MessageDoc,
  type MessagePage,
  type SendMessageRequest,
} from '@therapy-field/sync';
import { decodePageCursor, encodePageCursor } from '../http/index.js';
import type { SyncService } from '../sync/index.js';
import type { MessagesRepository } from './messages.repository.js';

const toMessage = (doc: MessageDoc): Message => ({
  id: doc.id,
  senderId: doc.senderId!,
  recipientId: doc.recipientId,
  body: doc.body,
  createdAt: doc.createdAt,
  readAt: doc.readAt ?? null,
});

/**
 * The REST face of the `messages` collection, for apps without the offline database. Writes go
 * through the sync push and reads through its loader, so the rules, the sealing, the audit and
 * the change log are the ones devices get.
 */
export class MessagesService {
  constructor(
    private readonly repository: MessagesRepository,
    private readonly sync: SyncService,
  ) {}

  async conversations(me: string): Promise<ConversationList> {
    return { conversations: await this.repository.conversations(me) };
  }

  async page(me: string, peerId: string, request: { cursor?: string; limit: number }): Promise<MessagePage> {
    await this.requireConversation(me, peerId);
    const page = await this.repository.pageIds(me, peerId, request.limit, request.cursor ? decodePageCursor(request.cursor) : undefined);
    return { messages: await this.load(me, page.ids), nextCursor: page.last ? encodePageCursor(page.last) : null };
  }

  /** Writes one message to `peerId`; repeating the same `id` and body changes nothing. */
  async send(me: string, peerId: string, request: SendMessageRequest): Promise<Message> {
    const id = request.id ?? randomUUID();
    const newDocumentState = { id, recipientId: peerId, body: request.body, createdAt: request.createdAt ?? new Date().toISOString(), _deleted: false };
    const { rejected, conflicts } = await this.sync.push(me, 'messages', [{ newDocumentState }]);
    const refusal = rejected[0];
    if (refusal?.code === 'FORBIDDEN') throw new ForbiddenError(refusal.reasons.join('; '), { reasons: refusal.reasons });
    if (refusal) throw new ValidationError('Invalid message', refusal.reasons.map((reason) => ({ path: reason.split(':')[0], message: reason })));
    if (conflicts.length > 0) throw new ConflictError('CONFLICT', 'A different message with this id exists', { id });
    const [message] = await this.load(me, [id]);
    return message!;
  }

  /** Marks the peer's messages to the caller read; the change log brings the receipt to the peer's devices. */
  async markRead(me: string, peerId: string): Promise<number> {
    await this.requireConversation(me, peerId);
    return this.repository.markRead(me, peerId);
  }

  /** A stranger's conversation does not exist for the caller. */
  private async requireConversation(me: string, peerId: string): Promise<void> {
    if (!(await this.repository.isConversation(me, peerId))) throw new NotFoundError('Conversation');
  }

  /** Decrypted and audited (`message.read`) by the sync loader, in the order of `ids`. */
  private async load(me: string, ids: string[]): Promise<Message[]> {
    const documents = new Map((await this.sync.loader('messages')(me, ids)).map((doc) => [String(doc.id), doc as unknown as MessageDoc & { _deleted: boolean }]));
    return ids.flatMap((id) => {
      const doc = documents.get(id);
      return doc && !doc._deleted ? [toMessage(doc)] : [];
    });
  }
}
