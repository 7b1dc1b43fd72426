import { z } from 'zod';

/**
 * Every error the platform reports, with the HTTP status it maps to. The codes are a stable
 * contract: clients switch on them, so rename none; add new ones here.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  UNKNOWN_EVENT: 400,
  /** A page `cursor` this API did not write (edited, truncated or made up). */
  INVALID_CURSOR: 400,
  /** A socket event's payload nests deeper than the server walks (`details.maxDepth`). */
  PAYLOAD_TOO_DEEP: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  TWO_FACTOR_REQUIRED: 401,
  TWO_FACTOR_INVALID: 401,
  FORBIDDEN: 403,
  ROOM_FORBIDDEN: 403,
  NOT_RELATED: 403,
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  /** The path exists, but not with this method; the `Allow` header and `details.allow` list the methods it takes. */
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  TWO_FACTOR_ALREADY_ENABLED: 409,
  TWO_FACTOR_NOT_ENABLED: 409,
  /** The therapist (or the client) already has an active appointment overlapping this time. */
  SLOT_TAKEN: 409,
  /** The time is not one of the therapist's bookable slots (hours, buffer, notice, horizon). */
  SLOT_UNAVAILABLE: 409,
  /** The appointment's state machine does not allow this change from its current status. */
  INVALID_TRANSITION: 409,
  /** A business employee has used every therapy session their company pays for. */
  SESSION_LIMIT_REACHED: 409,
  /** A session note was changed since the `version` the editor saw; `details.currentVersion` is the stored one. */
  NOTE_VERSION_CONFLICT: 409,
  /** A signed session note is immutable: it cannot be edited, signed again or deleted. */
  NOTE_SIGNED: 409,
  /** Only a signed note takes amendments or addenda; an unsigned one is edited. */
  NOTE_NOT_SIGNED: 409,
  /** Requested, declined and cancelled appointments take no session notes; `details.status` is the appointment's. */
  NOTE_APPOINTMENT_INELIGIBLE: 409,
  /** The same version of this consent text was already given and stands. */
  CONSENT_ALREADY_GIVEN: 409,
  /** A completed or terminated treatment plan is a closed record: no field or status changes; `details.status` is the plan's. */
  TREATMENT_PLAN_CLOSED: 409,
  /** The appointment has a review already: one per appointment. */
  REVIEW_EXISTS: 409,
  /** Only a completed appointment can be reviewed; `details.status` is the appointment's. */
  REVIEW_APPOINTMENT_NOT_COMPLETED: 409,
  /** A review is approved or rejected once, while pending; `details.status` is the review's. */
  REVIEW_ALREADY_MODERATED: 409,
  /** The appointment type is paid upfront: it is confirmed once its document is paid. */
  PAYMENT_REQUIRED: 409,
  /** This server takes no card payments (no Stripe keys configured). */
  PAYMENTS_NOT_CONFIGURED: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** The body is not `application/json` where the route takes JSON. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  /** An `Idempotency-Key` already answered another request (another body or route): use a new key. */
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  /** The account already has as many sockets open as one account may (`details.limit`). */
  TOO_MANY_CONNECTIONS: 429,
  ACCOUNT_LOCKED: 429,
  INTERNAL: 500,
  NOT_READY: 503,
  SHUTTING_DOWN: 503,
  // Video sessions (issue 6)
  VIDEO_NOT_A_PARTICIPANT: 403,
  /** The client withdrew their consent to telehealth: no video session until they give it again. */
  VIDEO_CONSENT_WITHDRAWN: 403,
  VIDEO_NOT_ADMITTED: 403,
  // Wellness insights and intake forms (issue 12)
  /** The client withdrew their consent to sharing with their therapist: nothing of theirs is shown until they give it again. */
  SHARING_WITHDRAWN: 403,
  VIDEO_NOT_FOUND: 404,
  VIDEO_NOT_CONFIRMED: 409,
  VIDEO_IN_PERSON: 409,
  VIDEO_TOO_EARLY: 409,
  VIDEO_SESSION_OVER: 409,
  VIDEO_NOT_JOINED: 409,
  VIDEO_REJOIN_REQUIRED: 409,
  VIDEO_CANNOT_CONSUME: 422,
  /** No mediasoup worker on this node; `details.fix` is the command that builds it. */
  VIDEO_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;

const genericCodes: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  502: 'NOT_READY',
  503: 'NOT_READY',
  504: 'NOT_READY',
};

/**
 * The code for an HTTP failure that carries no error body of ours (a proxy's or load balancer's
 * page): callers still switch on codes, e.g. a push split on PAYLOAD_TOO_LARGE.
 */
export function errorCodeForStatus(status: number): ErrorCode {
  return genericCodes[status] ?? 'INTERNAL';
}

const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

/** The JSON body of every failed HTTP response and the payload of every socket `error` event. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** An error with a stable code; thrown by the server, rebuilt by the SDK from a response. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    const { code, message, details } = this;
    return { error: details === undefined ? { code, message } : { code, message, details } };
  }

  static fromBody(body: ErrorBody): AppError {
    return new AppError(body.error.code, body.error.message, body.error.details);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_FAILED', message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(code: 'UNAUTHENTICATED' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED' = 'UNAUTHENTICATED', message = 'Authentication required') {
    super(code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You may not do this', details?: unknown) {
    super('FORBIDDEN', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, details?: unknown) {
    super('NOT_FOUND', `${what} not found`, details);
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(code, message, details);
  }
}

/** An `Idempotency-Key` already answered another request of the account. */
export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for another request: use a new key for new work');
  }
}
