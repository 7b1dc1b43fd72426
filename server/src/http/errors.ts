import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, ConflictError, errorCodeForStatus, errorStatus, findUnstorableText, unstorableTextMessage, ValidationError, type ErrorCode } from '@therapy-field/sync';
import { DatabaseError } from 'sequelize';
import type { ZodError } from 'zod';
import { competingWriteConflict } from '../database/index.js';
import type { AppEnv } from './app-env.js';

/** The one place where errors become HTTP responses. */
export function errorResponse(error: Error, c: Context<AppEnv>): Response {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    c.var.logger?.error({ err: error, requestId: c.var.requestId }, 'request failed');
  }
  return c.json(appError.toBody(), appError.status as ContentfulStatusCode);
}

function toAppError(error: Error): AppError {
  if (error instanceof AppError) return error;
  const conflict = competingWriteConflict(error);
  if (conflict) return conflict;
  if (error instanceof HTTPException) {
    return frameworkError(error);
  }
  return inputRefusedByDatabase(error) ?? new AppError('INTERNAL', 'Something went wrong on our side');
}

/** An HTTPException from hono or a middleware (415 from the validator, 413…) keeps its status, with our code. */
function frameworkError(error: HTTPException): AppError {
  const code = errorCodeForStatus(error.status);
  if (errorStatus[code] === error.status) return new AppError(code, error.message || defaultMessages[code] || 'Request refused');
  return error.status < 500 ? new ValidationError(error.message || 'Malformed request') : new AppError('INTERNAL', 'Something went wrong on our side');
}

const defaultMessages: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'Malformed request',
  UNAUTHENTICATED: 'Authentication required',
  PAYLOAD_TOO_LARGE: 'Request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Send the body as application/json',
};

/**
 * PostgreSQL errors (by SQLSTATE) that mean the input was bad, not the server: the second wall
 * behind validation, so a value the schemas let through is still a 400, never a 500.
 */
const sqlStateErrors: Record<string, (cause: PostgresCause) => AppError | undefined> = {
  '22021': () => new ValidationError('Text contains a character that cannot be stored (NUL)'),
  '22P05': () => new ValidationError('Text contains a character that cannot be stored'),
  '22P02': () => new ValidationError('A value has the wrong form'),
  '22007': () => new ValidationError('A date or time has the wrong form'),
  '22008': () => new ValidationError('A date or time is out of range'),
  '22003': () => new ValidationError('A number is out of range'),
  '23514': (cause) => (cause.constraint === 'chk_paid_upfront' ? new ConflictError('PAYMENT_REQUIRED', 'This appointment is paid upfront: it is confirmed once its document is paid') : undefined),
};

interface PostgresCause {
  code?: string;
  constraint?: string;
}

function inputRefusedByDatabase(error: Error): AppError | undefined {
  const cause = error instanceof DatabaseError ? (error.parent as PostgresCause) : undefined;
  return cause?.code ? sqlStateErrors[cause.code]?.(cause) : undefined;
}

/** zod issues as `[{ path, message }]`, the `details` of a VALIDATION_FAILED error. */
export function validationDetails(error: ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/**
 * Hook for every OpenAPI route: a request that fails its schema, or carries text the database
 * cannot store (see findUnstorableText) in any field, becomes a 400 with field details.
 */
export function rejectInvalidRequest(result: { success: boolean; data?: unknown; error?: unknown; target?: string }): void {
  rejectMalformedRequest(result);
  const unstorable = findUnstorableText(result.data);
  if (unstorable !== undefined) {
    throw new ValidationError(`Invalid ${result.target ?? 'request'}`, [{ path: unstorable, message: unstorableTextMessage }]);
  }
}

/** The schema check alone, for a route whose service checks text itself (sync push: per row, so one bad row spoils no batch). */
export function rejectMalformedRequest(result: { success: boolean; error?: unknown; target?: string }): undefined {
  if (!result.success) {
    throw new ValidationError(`Invalid ${result.target ?? 'request'}`, validationDetails(result.error as ZodError));
  }
}
