import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';

/** Where a request came from, for rate limits, the audit log and `last_login_ip`. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

export function clientIp(c: Context<AppEnv>): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

export function requestOrigin(c: Context<AppEnv>): RequestOrigin {
  return { ip: clientIp(c), userAgent: c.req.header('user-agent')?.slice(0, 500) ?? null };
}
