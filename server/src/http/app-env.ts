import type { Role } from '@therapy-field/sync';
import type { Logger } from '../logger/index.js';

/** Who is asking, taken from a verified access token. */
export interface AuthenticatedUser {
  id: string;
  role: Role;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    user: AuthenticatedUser;
  };
}
