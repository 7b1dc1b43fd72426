import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { QueryTypes, type Sequelize } from 'sequelize';
import { ConflictError, IdempotencyKeyReusedError, ValidationError } from '@therapy-field/sync';
import type { AppEnv } from './app-env.js';

const KEY_LIFETIME = "interval '24 hours'";
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface StoredAnswer {
  request_fingerprint: string;
  status_code: number | null;
  content_type: string | null;
  response_body: string | null;
}

/**
 * `Idempotency-Key` on a signed-in POST (the IETF draft's header, Stripe's semantics): the first
 * request with a key runs and its answer is stored in the same transaction as its work; a retry
 * with the same key and body gets that answer again (`Idempotent-Replayed: true`) instead of doing
 * the work twice, also while the first is still running (it waits for it) or on another node. The
 * same key with another body or route is refused (422). A 5xx rolls everything back, key included,
 * so a retry runs afresh. Keys belong to the account and last a day.
 */
export class IdempotentRequests {
  constructor(private readonly sequelize: Sequelize) {}

  /** Runs inside the request's database scope (see requireUser), around the route's handler. */
  async around(c: Context<AppEnv>, handle: () => Promise<void>): Promise<void> {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return handle();
    if (!KEY_PATTERN.test(key)) throw new ValidationError('Idempotency-Key is 1 to 255 visible ASCII characters');
    const userId = c.get('user').id;
    const fingerprint = createHash('sha256').update(`${c.req.method} ${c.req.path}\n`).update(await c.req.text()).digest('hex');
    if (await this.claim(userId, key, fingerprint)) {
      await handle();
      await this.complete(userId, key, c.res);
      return;
    }
    c.res = await this.replay(userId, key, fingerprint);
  }

  /** True when this request owns the key; waits while another transaction holds it. */
  private async claim(userId: string, key: string, fingerprint: string): Promise<boolean> {
    const claimed = await this.sequelize.query(
      `INSERT INTO idempotency_keys (user_id, key, request_fingerprint) VALUES (:userId, :key, :fingerprint)
       ON CONFLICT (user_id, key) DO UPDATE
          SET request_fingerprint = EXCLUDED.request_fingerprint, status_code = NULL, content_type = NULL, response_body = NULL, created_at = now()
        WHERE idempotency_keys.created_at < now() - ${KEY_LIFETIME}
       RETURNING key`,
      { type: QueryTypes.SELECT, replacements: { userId, key, fingerprint } },
    );
    return claimed.length === 1;
  }

  private async complete(userId: string, key: string, response: Response): Promise<void> {
    if (response.status >= 500) return;
    await this.sequelize.query(
      `UPDATE idempotency_keys SET status_code = :status, content_type = :contentType, response_body = :body WHERE user_id = :userId AND key = :key`,
      { type: QueryTypes.UPDATE, replacements: { userId, key, status: response.status, contentType: response.headers.get('content-type'), body: await response.clone().text() } },
    );
  }

  private async replay(userId: string, key: string, fingerprint: string): Promise<Response> {
    const [stored] = await this.sequelize.query<StoredAnswer>(
      `SELECT request_fingerprint, status_code, content_type, response_body FROM idempotency_keys WHERE user_id = :userId AND key = :key`,
      { type: QueryTypes.SELECT, replacements: { userId, key } },
    );
    if (!stored || stored.request_fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    if (stored.status_code === null) throw new ConflictError('CONFLICT', 'The request with this Idempotency-Key has not finished: retry shortly');
    const headers = new Headers({ 'idempotent-replayed': 'true' });
    if (stored.content_type) headers.set('content-type', stored.content_type);
    return new Response(stored.response_body || null, { status: stored.status_code, headers });
  }
}
