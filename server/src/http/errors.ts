import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, ValidationError } from '@therapy-field/sync';
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
    if (error.status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    if (error.status === 400) return new ValidationError(error.message || 'Malformed request');
    if (error.status === 401) return new AppError('UNAUTHENTICATED', error.message || 'Authentication required');
  }
  return new AppError('INTERNAL', 'Something went wrong on our side');
}

/** zod issues as `[{ path, message }]`, the `details` of a VALIDATION_FAILED error. */
export function validationDetails(error: ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/** Hook for every OpenAPI route: a request that fails its schema becomes a 400 with field details. */
export function rejectInvalidRequest(result: { success: boolean; error?: unknown; target?: string }): void {
  if (!result.success) {
    throw new ValidationError(`Invalid ${result.target ?? 'request'}`, validationDetails(result.error as ZodError));
  }
}
