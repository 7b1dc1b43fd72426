import type { Logger } from '../logger/index.js';
import type { ChangeFeed } from './change-feed.js';

/**
 * Prunes the change log every `intervalMs` (and once at start), keeping `days` of history.
 * Every node may run it: the delete is idempotent. Returns a stop function.
 */
export function startChangeLogRetention(feed: ChangeFeed, days: number, logger: Logger, intervalMs = 3_600_000): () => void {
  const prune = () => feed.pruneOlderThan(days).catch((error: unknown) => logger.warn({ err: error }, 'change log pruning failed'));
  void prune();
  const timer = setInterval(() => void prune(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
