import { businessApi } from './business.js';
import { consentApi } from './consent.js';
import { meApi } from './me.js';
import { messagesApi } from './messages.js';
import { notificationsApi } from './notifications.js';

/**
 * The capabilities whose routes are described here, in sync: the server binds them, the SDK
 * calls them and OpenAPI documents them from these tables. A capability joins with one line.
 */
export const apiTables = [meApi, messagesApi, notificationsApi, consentApi, businessApi] as const;

/** Every route of the tables, by operationId. */
export const apiRoutes = { ...meApi.routes, ...messagesApi.routes, ...notificationsApi.routes, ...consentApi.routes, ...businessApi.routes };

export type ApiRoutes = typeof apiRoutes;
export type OperationId = keyof ApiRoutes;
