/**
 * JSON calls to Tandem's own API. Every write goes out as application/json from this origin (the
 * server refuses anything else as CSRF), and every failure becomes one ApiError with the server's
 * code, message and per-field details, so pages never parse error bodies themselves.
 */
export type FieldError = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    /** From Retry-After on a 429. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field → first message, keyed by the top-level field (`scopeQueues.3` counts as `scopeQueues`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const field = d.path.split('.')[0] ?? d.path;
      out[field] ??= d.message;
    }
    return out;
  }
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function api<T>(path: string, method: Method = 'GET', body?: unknown): Promise<T> {
  const payload = method === 'GET' ? undefined : JSON.stringify(body ?? {});
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      body: payload,
    });
  } catch {
    throw new ApiError(0, 'network', 'cannot reach the Tandem server; check the connection and try again');
  }
  if (res.status === 204) return undefined as T;
  const parsed: unknown = await res.json().catch(() => null);
  if (res.ok) return parsed as T;
  const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const retry = Number(res.headers.get('retry-after'));
  throw new ApiError(
    res.status,
    typeof error?.code === 'string' ? error.code : 'http_' + res.status,
    typeof error?.message === 'string' ? error.message : `the server answered ${res.status}`,
    Array.isArray(error?.details) ? (error.details as FieldError[]) : [],
    res.status === 429 && Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

/** A message for any thrown value, for the places that only show text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * How a form's messages read: as the server (or the browser's own checks) wrote them, or in the page's
 * language (i18n/problems.ts). `field` words one field's message, `error` a whole failure.
 */
export type Wording = { field: (message: string) => string; error: (err: unknown) => string; marked: string };

const AS_SENT: Wording = { field: (message) => message, error: messageOf, marked: 'Please correct the marked fields.' };

/**
 * What a form shows after a failed submit: each message next to its field, and one line for the
 * rest. A message about a field the form does not have goes in that line, so nothing is lost.
 *
 * A field may be a dotted path: the most specific field a message's path starts with takes it, so a
 * form with `settings.businessHours.mon.0` shows `settings.businessHours.mon.0.1` there, and one with
 * only `scopeQueues` shows `scopeQueues.3` next to the list.
 */
export function formErrors(
  err: unknown,
  formFields: readonly string[],
  wording: Wording = AS_SENT,
): { fields: Record<string, string>; message: string } {
  if (!(err instanceof ApiError) || err.details.length === 0) return { fields: {}, message: wording.error(err) };
  const fields: Record<string, string> = {};
  const rest = new Map<string, string>();
  for (const { path, message } of err.details) {
    const field = fieldOf(path, formFields);
    if (field !== null) fields[field] ??= wording.field(message);
    else {
      const top = path.split('.')[0] ?? path;
      if (!rest.has(top)) rest.set(top, wording.field(message));
    }
  }
  if (Object.keys(fields).length === 0) return { fields, message: wording.error(err) };
  const others = [...rest].map(([field, message]) => `${field}: ${message}`);
  return { fields, message: others.length ? others.join('; ') : wording.marked };
}

/** The longest of `formFields` that is `path` or a dotted prefix of it. */
function fieldOf(path: string, formFields: readonly string[]): string | null {
  let best: string | null = null;
  for (const f of formFields) {
    if ((path === f || path.startsWith(`${f}.`)) && (best === null || f.length > best.length)) best = f;
  }
  return best;
}
