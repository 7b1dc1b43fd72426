export { DomainEventBus } from './domain-event-bus.js';
