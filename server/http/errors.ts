/** The few error types the server raises; `app.onError` turns them into JSON responses in one place. */
import type { FieldError } from '../contract/events.ts';

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class BadRequest extends HttpError {
  constructor(message: string, details?: FieldError[]) {
    super(400, 'bad_request', message, details);
  }
}

/** No valid credentials. The message never says which part (user, password, token) was wrong. */
export class Unauthorized extends HttpError {
  constructor(message = 'sign in required', code = 'unauthorized') {
    super(401, code, message);
  }
}

/** Valid credentials that do not allow this. */
export class Forbidden extends HttpError {
  constructor(message = 'not allowed') {
    super(403, 'forbidden', message);
  }
}

export class Conflict extends HttpError {
  constructor(message: string, field?: string) {
    super(409, 'conflict', message, field ? [{ path: field, message }] : undefined);
  }
}

/** Too many attempts; `retryAfterSeconds` goes out as the Retry-After header. */
export class TooManyRequests extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code = 'too_many_requests',
  ) {
    super(429, code, message);
  }
}

/** A websocket handshake past a connection limit: the details name the limit's setting and its value. */
export class TooManyConnections extends HttpError {
  constructor(message: string, setting: string, limit: number) {
    super(429, 'too_many_connections', message, [{ path: setting, message: `at most ${limit} open websockets` }]);
  }
}

export class PayloadTooLarge extends HttpError {
  constructor(message: string) {
    super(413, 'payload_too_large', message);
  }
}

export class NotFound extends HttpError {
  constructor(message = 'not found') {
    super(404, 'not_found', message);
  }
}

/** The event store cannot take writes (disk full, read-only file): nothing was acknowledged. */
export class StorageUnavailable extends HttpError {
  constructor(reason: string) {
    super(503, 'storage_unavailable', `the event store cannot write: ${reason}`);
  }
}

export type ErrorBody = { error: { code: string; message: string; details?: FieldError[] } };

export function errorBody(err: HttpError): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
}
