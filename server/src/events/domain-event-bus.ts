import { EventEmitter } from 'node:events';
import type { DomainEventName, DomainEvents } from '@therapy-field/sync';
import { afterCommit, runAsSystem } from '../database/index.js';
import type { Logger } from '../logger/index.js';

type Handler<Name extends DomainEventName> = (payload: DomainEvents[Name]) => void | Promise<void>;

/**
 * In-process, typed publish/subscribe of domain events. An event published inside a database scope
 * goes out once the scope commits (never if it rolls back); subscribers react as the platform
 * (runAsSystem), since they act for others than the user who caused the event. A failing
 * subscriber is logged and never fails the publisher.
 */
export class DomainEventBus {
  private readonly emitter = new EventEmitter();

  constructor(private readonly logger: Logger) {
    this.emitter.setMaxListeners(50);
  }

  publish<Name extends DomainEventName>(name: Name, payload: DomainEvents[Name]): void {
    afterCommit(() => this.emitter.emit(name, payload));
  }

  subscribe<Name extends DomainEventName>(name: Name, handler: Handler<Name>): () => void {
    const listener = (payload: DomainEvents[Name]) => {
      Promise.resolve()
        .then(() => runAsSystem(async () => handler(payload)))
        .catch((error: unknown) => this.logger.error({ err: error, event: name }, 'domain event subscriber failed'));
    };
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
