/** Small readers shared by the adapters: vendor key casing, ARNs, times, and deterministic event ids. */
import { createHash } from 'node:crypto';
import { eventTimeMs, LIMITS } from '../contract/events.ts';

/**
 * Renames keys that differ from a documented name only in case (`agentInfo` / `AgentInfo`), at any
 * depth, so one schema reads every sample a vendor has published.
 */
export function withDocumentedCase(value: unknown, names: readonly string[]): unknown {
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 32 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '__proto__') continue;
      const name = byLower.get(k.toLowerCase()) ?? k;
      // The documented spelling wins when a record carries both.
      if (name !== k && Object.hasOwn(v, name)) continue;
      out[name] = walk(x, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}

/** Epoch ms of a vendor time (RFC 3339 string), or undefined when absent or not a valid time. */
export function timeMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = eventTimeMs(value);
  return Number.isFinite(ms) && ms >= LIMITS.minAt && ms < LIMITS.maxAt ? ms : undefined;
}

/** The last path segment of an ARN (`…/agent/<id>` → `<id>`): the resource's own id. */
export function arnId(arn: unknown): string | undefined {
  if (typeof arn !== 'string' || arn === '') return undefined;
  const last = arn.split('/').pop();
  return last ? last : undefined;
}

/**
 * A Tandem event id from stable vendor ids, so a redelivered record maps to the same ids and is
 * stored once. Long vendor ids are hashed to stay within the id limit.
 */
export function eventId(prefix: string, ...parts: (string | number)[]): string {
  const joined = [prefix, ...parts].join(':');
  if (joined.length <= 200) return joined;
  return `${prefix}:h:${createHash('sha256').update(joined).digest('hex').slice(0, 40)}`;
}

/** A vendor id fit for a Tandem id field, or undefined. */
export function idOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= LIMITS.idLength && value.isWellFormed()
    ? value
    : undefined;
}

/** "path: message" for the first few problems of a failed zod parse. */
export function zodReason(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(record)'} ${i.message}`)
    .join('; ');
}

/** The value's own object fields, or undefined for anything else. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
