import { describe, expect, it } from 'vitest';
import { checkEvent, EVENT_TYPES, eventJsonSchema, eventTimeMs, LIMITS } from './events.ts';

const good = { id: 'e1', type: 'contact.started', at: '2026-11-24T09:30:00+08:00', contactId: 'c1', channel: 'chat' };

describe('event contract', () => {
  it('accepts RFC 3339 with offset and epoch ms, and resolves both to ms', () => {
    expect(eventTimeMs('2026-11-24T09:30:00+08:00')).toBe(Date.UTC(2026, 10, 24, 1, 30));
    expect(eventTimeMs('2026-11-24T01:30:00.250Z')).toBe(Date.UTC(2026, 10, 24, 1, 30, 0, 250));
    const r = checkEvent({ ...good, at: 1_795_000_000_000 });
    expect(r.ok && r.value.atMs).toBe(1_795_000_000_000);
  });

  it('rejects times without an offset, out of range, or fractional ms', () => {
    for (const at of [
      '2026-11-24T09:30:00',
      '24/11/2026',
      '2026-02-30T10:00:00Z',
      '2026-11-24T24:00:00Z',
      1.5,
      Date.UTC(1999, 0, 1),
      '2200-01-01T00:00:00Z',
    ]) {
      const r = checkEvent({ ...good, at });
      expect(r.ok, String(at)).toBe(false);
      if (!r.ok) expect(r.errors[0]!.path).toBe('at');
    }
  });

  it('names the field and the reason for each problem', () => {
    const r = checkEvent({ id: 'x', type: 'survey.completed', at: 0, contactId: '', csat: 7 });
    expect(r).toEqual({
      ok: false,
      id: 'x',
      errors: expect.arrayContaining([
        { path: 'at', message: expect.stringMatching(/RFC 3339/) },
        { path: 'contactId', message: 'must not be empty' },
        { path: 'csat', message: expect.stringMatching(/5/) },
      ]),
    });
  });

  it('lists the known types when the type is unknown', () => {
    const r = checkEvent({ id: 'x', type: 'call.started' });
    expect(!r.ok && r.errors[0]).toEqual({ path: 'type', message: expect.stringContaining('contact.started') });
  });

  it('keeps extra fields and drops __proto__', () => {
    const input = JSON.parse(
      `{"id":"e","type":"bot.started","at":0,"contactId":"c","vendor":{"x":1},"__proto__":{"bad":true}}`,
    );
    const r = checkEvent({ ...input, at: Date.UTC(2026, 0, 1) });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect((r.value.event as Record<string, unknown>).vendor).toEqual({ x: 1 });
      expect(Object.getPrototypeOf(r.value.event)).toBe(Object.prototype);
      expect((r.value.event as Record<string, unknown>).bad).toBeUndefined();
    }
  });

  it('rejects events dated too far in the future of the given clock', () => {
    const now = Date.UTC(2026, 10, 24, 9);
    expect(checkEvent({ ...good, at: now + 10 * 60_000 }, now).ok).toBe(true);
    const r = checkEvent({ ...good, at: now + 60 * 60_000 }, now);
    expect(!r.ok && r.errors[0]).toEqual({ path: 'at', message: expect.stringMatching(/60 minutes in the future/) });
  });

  it('rejects ids that are not valid Unicode', () => {
    const r = checkEvent({ ...good, id: 'x\ud800' });
    expect(!r.ok && r.errors[0]).toEqual({ path: 'id', message: 'must be valid Unicode (no lone surrogates)' });
  });

  it('enforces string limits', () => {
    const r = checkEvent({ ...good, contactId: 'x'.repeat(LIMITS.idLength + 1) });
    expect(!r.ok && r.errors[0]!.path).toBe('contactId');
  });

  it('publishes a JSON Schema with one branch per event type, including the answered-needs-agent rule', () => {
    const schema = eventJsonSchema() as { oneOf: { properties: { type: { const: string } }; then?: unknown }[] };
    expect(schema.oneOf.map((s) => s.properties.type.const).sort()).toEqual([...EVENT_TYPES].sort());
    const left = schema.oneOf.find((s) => s.properties.type.const === 'queue.left');
    expect(left?.then).toEqual({ required: ['agentId'] });
  });
});
