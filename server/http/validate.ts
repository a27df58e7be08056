/** Reads and checks a JSON request body or query against a zod schema; failures name each field. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { BadRequest } from './errors.ts';

function fail(error: z.ZodError, what: string): never {
  const details = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  throw new BadRequest(`invalid ${what}: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
}

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    throw new BadRequest('send the body as application/json', [
      { path: 'content-type', message: 'must be application/json' },
    ]);
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new BadRequest('body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) fail(parsed.error, 'request');
  return parsed.data;
}

export function queryOf<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) fail(parsed.error, 'query');
  return parsed.data;
}

/** Like queryOf, but a key given more than once arrives as a list of its values (?queue=a&queue=b). */
export function queryListsOf<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(searchParamsObject(new URL(c.req.url).searchParams));
  if (!parsed.success) fail(parsed.error, 'query');
  return parsed.data;
}

export function searchParamsObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}
