/**
 * Property-based fuzzing of every ingest path on a real port: POST /api/events as JSON and NDJSON,
 * /ws/ingest, and POST /api/ingest/<platform> for every adapter. adapter-fuzz.test.ts mutates the
 * vendors' own samples; this suite generates hostile JSON from nothing (prototype keys at every level,
 * lone surrogates, invalid UTF-8 bytes, extreme numbers and times, deep nesting, broken syntax) and
 * checks what must hold for any input:
 *
 * - the answer is one of the allowed statuses, never a 500, and the server still answers /api/health.
 *   Allowed over HTTP: 202 (acknowledged), 400 (not JSON, empty), 413 (over the body or batch limit),
 *   401 (no valid key; 403 from the CSRF check when nothing like a key is sent). 429 (over the key's
 *   rate) is allowed too but the rate is off here: ingest-rate-limit.test.ts drives it. 415 is never
 *   sent (a body's type is sniffed). On the websocket: an ack, an error reply with 400/413, or a close
 *   with 1007 (not UTF-8) or 1009 (over the message size limit);
 * - every rejection names a field path and a reason, and a known defect is named at its field;
 * - in a mixed batch exactly the valid events are stored;
 * - sending the very same batch again stores nothing twice, and the second ack says so;
 * - Object.prototype has no new keys afterwards.
 *
 * The seed is printed; replay a failure with FUZZ_SEED=<seed> (FUZZ_RUNS changes the runs per property,
 * FUZZ_LOG=error shows the server's log).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PLATFORMS } from '../../server/adapters/registry.ts';
import { EVENT_TYPES, LIMITS } from '../../server/contract/events.ts';
import { ingestAckSchema, ingestReplySchema, type IngestAck } from '../../server/contract/ingest.ts';
import { startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const params = { seed: SEED, numRuns: RUNS };
console.info(`ingest fuzz: seed ${SEED}, ${RUNS} runs per property (replay with FUZZ_SEED=${SEED})`);

const HTTP_ALLOWED = [202, 400, 413];
const WS_ALLOWED = [202, 400, 413];
const WS_CLOSES = [1007, 1009];

// ---------------------------------------------------------------------------------------------------------
// Hostile JSON as text: objects are entry lists (so `__proto__` is a real key and keys may repeat) and
// numbers may be raw tokens no JavaScript number writes (1e400, -0, 2^63, 30 digits).

class Obj {
  constructor(readonly entries: [string, J][]) {}
}
class Raw {
  constructor(readonly text: string) {}
}
type J = null | boolean | number | string | Obj | Raw | J[];

function text(v: J): string {
  if (v instanceof Raw) return v.text;
  if (v instanceof Obj) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${text(x)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(text).join(',')}]`;
  return JSON.stringify(v) ?? 'null';
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const hostileKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  fc.constantFrom('toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'id', 'type', 'at', ''),
  fc.string({ maxLength: 12 }),
);
const loneSurrogate = fc
  .tuple(
    fc.string({ maxLength: 6 }),
    fc.constantFrom('\ud800', '\udfff', '\ud83d', '\ude00'),
    fc.string({ maxLength: 6 }),
  )
  .map(([a, s, b]) => a + s + b);
const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  loneSurrogate,
  fc.constantFrom('', ' ', '\u0000', 'NaN', 'Infinity', '-0', '1e308', 'null', '\ufeff', '\u202e'),
);
const rawNumber = fc.oneof(
  fc
    .constantFrom(
      '1e308',
      '-1e308',
      '1e400',
      '-1e400',
      '-0',
      '0.0',
      '1E-400',
      '4.9e-324',
      '9223372036854775808',
      '-9223372036854775809',
      '123456789012345678901234567890',
      '1795485002000.5',
    )
    .map((t) => new Raw(t)),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => new Raw(b.toString())),
  fc.double(),
  fc.integer(),
);
const now = Date.now();
/** Times in every form producers get wrong, and some right. */
const timeValue = fc.oneof(
  fc.integer({ min: now - 86_400_000, max: now }),
  fc.integer({ min: now - 86_400_000, max: now }).map((ms) => new Date(ms).toISOString()),
  rawNumber,
  fc.integer({ min: -1e15, max: 0 }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-11-24',
    '2026-11-24T09:30:00',
    '2026-11-24 09:30:00+08:00',
    '2026-11-24t09:30:00z',
    '2026-02-30T00:00:00Z',
    '2026-11-24T24:00:00Z',
    '2026-11-24T09:60:00Z',
    '2026-11-24T09:30:00.1234567890Z',
    '+012026-11-24T09:30:00Z',
    '2026-11-24T09:30:00+8',
    ' 2026-11-24T09:30:00Z',
    '1795485002000',
    '1795485002',
    'now',
    'Tue, 24 Nov 2026 09:30:00 GMT',
    '1999-12-31T23:59:59Z',
    '2100-01-01T00:00:00Z',
  ),
  hostileString,
);
const leaf: fc.Arbitrary<J> = fc.oneof(fc.constant(null), fc.boolean(), rawNumber, hostileString, timeValue);
const { tree } = fc.letrec<{ tree: J }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie('tree')), { maxLength: 4 }).map((e) => new Obj(e)),
  ),
}));

/** Something shaped like an event, with any of its fields hostile and prototype keys beside them. */
const eventLike: fc.Arbitrary<J> = fc
  .record({
    type: fc.oneof(fc.constantFrom(...EVENT_TYPES), hostileString),
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), hostileString, rawNumber),
    at: timeValue,
    contactId: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), hostileString),
    more: fc.array(
      fc.tuple(
        fc.constantFrom('channel', 'queue', 'agentId', 'outcome', 'state', 'speaker', 'text', 'amount', 'currency'),
        fc.oneof(fc.constantFrom('chat', 'sales', 'a1', 'answered', 'available', 'bot', 'hi', 'USD'), leaf),
      ),
      { maxLength: 4 },
    ),
    extra: fc.array(fc.tuple(hostileKey, tree), { maxLength: 3 }),
  })
  .map(
    (e) => new Obj([['type', e.type], ['id', e.id], ['at', e.at], ['contactId', e.contactId], ...e.more, ...e.extra]),
  );

/** A whole body: JSON values, batches of event-likes, NDJSON lines, broken syntax or bytes. */
type Body = { text: string; bytes?: Uint8Array<ArrayBuffer>; contentType: string };
const asBody = (t: string, contentType = 'application/json'): Body => ({ text: t, contentType });

const brokenJson = fc
  .tuple(
    fc.array(eventLike, { minLength: 1, maxLength: 4 }).map((es) => text(es)),
    fc.nat(),
    fc.constantFrom('cut', 'insert', 'delete', 'comment', 'bom', 'trailing-comma', 'single-quotes'),
    fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', '\ud800', 'NaN', 'undefined', "'"),
  )
  .map(([t, n, how, piece]) => {
    const at = n % (t.length + 1);
    switch (how) {
      case 'cut':
        return t.slice(0, at);
      case 'insert':
        return t.slice(0, at) + piece + t.slice(at);
      case 'delete':
        return t.slice(0, at) + t.slice(at + 1);
      case 'comment':
        return `// producer\n${t}`;
      case 'bom':
        return `\ufeff${t}`;
      case 'trailing-comma':
        return t.replace(/]$/, ',]');
      default:
        return t.replaceAll('"', "'");
    }
  });

/** Valid UTF-8 text with bytes spliced in that no UTF-8 decoder accepts. */
const invalidUtf8 = fc
  .tuple(
    fc.array(eventLike, { minLength: 1, maxLength: 3 }).map((es) => text(es)),
    fc.nat(),
    fc.constantFrom(
      [0xff],
      [0xfe, 0xff],
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf8, 0x88, 0x80, 0x80],
      [0x80],
      [0xe2, 0x82],
    ),
  )
  .map(([t, n, bad]): Body => {
    const raw = Buffer.from(t);
    const at = n % (raw.length + 1);
    const bytes = new Uint8Array(Buffer.concat([raw.subarray(0, at), Buffer.from(bad), raw.subarray(at)]));
    return { text: t, bytes, contentType: 'application/json' };
  });

const hostileBody: fc.Arbitrary<Body> = fc.oneof(
  tree.map((v) => asBody(text(v))),
  fc.jsonValue().map((v) => asBody(JSON.stringify(v))),
  fc.array(eventLike, { maxLength: 8 }).map((es) => asBody(text(es))),
  eventLike.map((e) => asBody(text(e))),
  fc
    .array(fc.oneof(eventLike.map(text), brokenJson, fc.constant('')), { maxLength: 8 })
    .map((lines) => asBody(lines.join('\n'), 'application/x-ndjson')),
  brokenJson.map((t) => asBody(t)),
  fc.constantFrom('', ' ', '\n\n', 'null', '[]', '{}', '[null]', '"x"', '1e400', '[[]]').map((t) => asBody(t)),
  invalidUtf8,
  fc
    .constantFrom('text/plain', 'application/json; charset=latin1', '', 'application/jsonl')
    .chain((ct) => fc.array(eventLike, { maxLength: 4 }).map((es) => asBody(es.map(text).join('\n'), ct))),
);

// ---------------------------------------------------------------------------------------------------------
// Valid events, and the same with one known defect, to check what is stored and what each error names.

const validEvent = (id: string, kind: number, atMs: number, extra: [string, J][]): Obj => {
  const c: [string, J][] = [
    ['id', id],
    ['at', kind % 2 ? atMs : new Date(atMs).toISOString().replace('Z', '+00:00')],
    ['contactId', `${id}-c`],
  ];
  const byKind: [string, J][][] = [
    [
      ['type', 'contact.started'],
      ['channel', 'voice'],
    ],
    [
      ['type', 'queue.entered'],
      ['queue', 'sales'],
    ],
    [
      ['type', 'queue.left'],
      ['queue', 'sales'],
      ['outcome', 'answered'],
      ['agentId', 'a1'],
    ],
    [
      ['type', 'transcript.segment'],
      ['speaker', 'customer'],
      ['text', 'my card is 4111 1111 1111 1111'],
    ],
    [
      ['type', 'contact.converted'],
      ['amount', 12.5],
      ['currency', 'USD'],
    ],
    [
      ['type', 'survey.completed'],
      ['csat', 5],
    ],
  ];
  if (kind === byKind.length) {
    return new Obj([
      ['type', 'agent.state'],
      ['id', id],
      ['at', atMs],
      ['agentId', `${id}-agent`],
      ['state', 'break'],
      ...extra,
    ]);
  }
  return new Obj([...byKind[kind]!, ...c, ...extra]);
};

type Defect = { field: string; apply: (e: Obj) => J };
const set = (field: string, value: J) => (e: Obj) =>
  new Obj(e.entries.map(([k, v]) => [k, k === field ? value : v] as [string, J]));
const drop = (field: string) => (e: Obj) => new Obj(e.entries.filter(([k]) => k !== field));
const DEFECTS: Defect[] = [
  { field: 'id', apply: (e) => set('id', 'i'.repeat(LIMITS.idLength + 1))(e) },
  { field: 'id', apply: (e) => set('id', `${String(e.entries.find(([k]) => k === 'id')![1])}\ud800`)(e) },
  { field: 'at', apply: set('at', new Raw('1e308')) },
  { field: 'at', apply: set('at', new Raw('9223372036854775808')) },
  { field: 'at', apply: set('at', -1) },
  { field: 'at', apply: set('at', 1795485002000.5) },
  { field: 'at', apply: set('at', '2026-02-30T10:00:00Z') },
  { field: 'at', apply: set('at', '2026-11-24T09:30:00') },
  { field: 'at', apply: set('at', 'NaN') },
  { field: 'at', apply: set('at', now + 86_400_000) },
  { field: 'type', apply: set('type', 'contact.Started') },
  { field: 'type', apply: drop('type') },
  { field: '(event)', apply: () => ['not', 'an', 'event'] },
  { field: '(event)', apply: () => new Raw('1e400') },
  { field: '(event)', apply: (e) => new Obj([...e.entries, ['notes', 'n'.repeat(LIMITS.eventBytes)]]) },
  { field: 'crm.note', apply: (e) => new Obj([...e.entries, ['crm', new Obj([['note', 'half \ud83d']])]]) },
];

/** The same value with every string and key made valid Unicode, as a valid event's extra fields must be. */
function wellFormed(v: J): J {
  if (typeof v === 'string') return v.toWellFormed();
  if (v instanceof Obj) return new Obj(v.entries.map(([k, x]) => [k.toWellFormed(), wellFormed(x)]));
  return Array.isArray(v) ? v.map(wellFormed) : v;
}

/** Keys a valid event may carry beside its own fields: never a contract field, which it would overwrite. */
const extraKey = fc.oneof(
  fc.constantFrom(...PROTO_KEYS),
  fc.string({ maxLength: 8 }).map((k) => `x-${k}`),
);
type Item = { valid: boolean; id: string; json: J; field?: string };
/** A batch of valid and broken events; ids are given when it is sent, so a replay or shrink never reuses one. */
const mixedBatch = fc.array(
  fc.record({
    kind: fc.nat({ max: 6 }),
    ago: fc.nat({ max: 3_600_000 }),
    extra: fc.array(fc.tuple(extraKey, tree), { maxLength: 2 }),
    defect: fc.option(fc.nat({ max: DEFECTS.length - 1 }), { freq: 3 }),
  }),
  { minLength: 1, maxLength: 12 },
);
type Spec = typeof mixedBatch extends fc.Arbitrary<infer T> ? T : never;
let serial = 0;
/** The batch's events, with ids under a prefix no other case uses; returns the prefix too. */
function materialise(specs: Spec): { run: string; items: Item[] } {
  const run = `fz${++serial}x${Date.now()}`;
  const items = specs.map(({ kind, ago, extra, defect }, i): Item => {
    const id = `${run}-${i}`;
    const event = validEvent(
      id,
      kind,
      Date.now() - 60_000 - ago,
      extra.map(([k, v]) => [k.toWellFormed(), wellFormed(v)]),
    );
    if (defect === null) return { valid: true, id, json: event };
    const d = DEFECTS[defect]!;
    return { valid: false, id, json: d.apply(event), field: d.field };
  });
  return { run, items };
}

// ---------------------------------------------------------------------------------------------------------
// Transports: each sends one body and says what came back, as an HTTP-like status and body.

type Answer = { status: number; body: unknown; closed?: number };
type Transport = { name: string; send(body: Body): Promise<Answer> };

describe('every ingest path under generated hostile input', () => {
  const db = tempDbPath();
  let server: TestServer;
  let protoBefore: string[];
  const wsUrl = () => server.url.replace('http', 'ws') + '/ws/ingest';

  /** One socket reused across cases; a case that gets it closed (bad UTF-8, too big) opens the next. */
  let socket: { ws: WebSocket; replies: string[]; closed: number | null; wake: () => void } | null = null;
  async function openSocket() {
    const ws = new WebSocket(wsUrl(), { headers: { authorization: `Bearer ${server.key}` } });
    const s = { ws, replies: [] as string[], closed: null as number | null, wake: () => {} };
    ws.on('message', (d) => {
      s.replies.push(String(d));
      s.wake();
    });
    ws.on('close', (code) => {
      s.closed = code;
      s.wake();
    });
    ws.on('error', () => {});
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return s;
  }
  const websocket: Transport = {
    name: 'websocket',
    async send(body) {
      if (!socket || socket.closed !== null) socket = await openSocket();
      const s = socket;
      s.ws.send(body.bytes ?? body.text, { binary: false });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no websocket reply in 10 s')), 10_000);
        s.wake = () => (clearTimeout(timer), resolve());
        if (s.replies.length > 0 || s.closed !== null) s.wake();
      });
      if (s.replies.length === 0) return { status: 0, body: null, closed: s.closed! };
      const reply = ingestReplySchema.parse(JSON.parse(s.replies.shift()!));
      if (reply.type === 'error') return { status: reply.status, body: { error: reply } };
      const { type: _t, batch: _b, ...ack } = reply;
      return { status: 202, body: ack };
    },
  };
  const post =
    (path: string, forceType?: string) =>
    async (body: Body): Promise<Answer> => {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.key}`, 'content-type': forceType ?? body.contentType },
        body: body.bytes ?? body.text,
      });
      const t = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(t);
      } catch {
        parsed = t;
      }
      return { status: res.status, body: parsed };
    };
  const httpJson: Transport = { name: 'http', send: (b) => post('/api/events')(b) };
  const httpNdjson: Transport = {
    name: 'http ndjson',
    send: (b) => post('/api/events', 'application/x-ndjson')(b),
  };
  const eventPaths = [httpJson, httpNdjson, websocket];
  const adapterPaths: Transport[] = PLATFORMS.map((p) => ({ name: p, send: post(`/api/ingest/${p}`) }));

  /** NDJSON needs one event per line; the other paths take the batch as one JSON array. */
  const batchBody = (transport: Transport, items: J[]): Body =>
    transport === httpNdjson ? asBody(items.map(text).join('\n'), 'application/x-ndjson') : asBody(text(items));

  async function healthy(label: string) {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status, `health after ${label}`).toBe(200);
  }

  /** What each path answered over the run: a property that never saw a 202 or a 400 proved little. */
  const seen = new Map<string, Set<string>>();
  /** The status is allowed, the body is an ack or an error with a reason, and the server still answers. */
  async function expectAnswered(transport: Transport, body: Body, answer: Answer, allowed: number[]) {
    const outcome = answer.closed !== undefined ? `close ${answer.closed}` : String(answer.status);
    seen.set(transport.name, (seen.get(transport.name) ?? new Set()).add(outcome));
    const label = `${transport.name} ${JSON.stringify(body.text.slice(0, 80))} -> ${answer.status}${answer.closed ? ` closed ${answer.closed}` : ''}`;
    if (answer.closed !== undefined) expect(WS_CLOSES, label).toContain(answer.closed);
    else expect(allowed, label).toContain(answer.status);
    if (answer.status === 202) expectReasons(answer.body, label);
    else if (answer.closed === undefined) {
      const err = (answer.body as { error?: { code?: unknown; message?: unknown } }).error;
      expect(err?.code, label).toMatch(/^[a-z_]+$/);
      expect(err?.message, label).toMatch(/\w{3}/);
    }
    await healthy(label);
  }

  /** Every rejection (and adapter issue) says where and why. */
  function expectReasons(body: unknown, label: string) {
    const ack = body as IngestAck & { issues?: { reason: string }[] };
    for (const r of ack.rejected) {
      expect(r.errors.length, label).toBeGreaterThan(0);
      for (const e of r.errors) {
        expect(e.path, label).toMatch(/\S/);
        expect(e.message, label).toMatch(/\w{3}/);
      }
    }
    for (const i of ack.issues ?? []) expect(i.reason, label).toMatch(/\w{3}/);
  }

  const storedIds = async (run: string) =>
    new Set(
      (await server.tandem.db.query<{ id: string }>('SELECT id FROM events WHERE id LIKE ?', [`${run}-%`])).map(
        (r) => r.id,
      ),
    );

  beforeAll(async () => {
    protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    // FUZZ_LOG=error shows the server's own account of a failure while replaying a seed.
    server = await startTestServer({ dbPath: db.path, ingestRate: 0, logLevel: process.env.FUZZ_LOG ?? 'silent' });
  });
  afterAll(async () => {
    socket?.ws.terminate();
    await server.close();
    db.cleanup();
  });

  it('answers any body on /api/events (JSON, NDJSON) and /ws/ingest with an allowed status, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, fc.constantFrom(...eventPaths), async (body, transport) => {
        const answer = await transport.send(body);
        await expectAnswered(transport, body, answer, transport === websocket ? WS_ALLOWED : HTTP_ALLOWED);
        if (answer.status === 202) ingestAckSchema.parse(answer.body);
      }),
      params,
    );
  });

  it('answers any body on every adapter route with an allowed status, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileBody,
          fc.array(fc.tuple(hostileKey, hostileString), { maxLength: 6 }).map((kv) => ({
            text: kv
              .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))}`)
              .join('&'),
            contentType: 'application/x-www-form-urlencoded',
          })),
        ),
        fc.constantFrom(...adapterPaths),
        async (body, transport) => {
          await expectAnswered(transport, body, await transport.send(body), HTTP_ALLOWED);
        },
      ),
      params,
    );
  });

  it('stores exactly the valid events of a mixed batch and names each defect at its field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...eventPaths), mixedBatch, async (transport, specs) => {
        const { run, items } = materialise(specs);
        const body = batchBody(
          transport,
          items.map((i) => i.json),
        );
        const answer = await transport.send(body);
        const label = `${transport.name} ${body.text.slice(0, 200)}`;
        expect(answer.status, label).toBe(202);
        const ack = ingestAckSchema.parse(answer.body);
        const valid = items.filter((i) => i.valid);
        expect(ack.accepted, label).toBe(valid.length);
        expect(ack.duplicates, label).toBe(0);
        expect(
          ack.rejected.map((r) => r.index),
          label,
        ).toEqual(items.flatMap((it, index) => (it.valid ? [] : [index])));
        for (const r of ack.rejected) {
          expect(
            r.errors.map((e) => e.path),
            label,
          ).toContain(items[r.index]!.field);
        }
        expect([...(await storedIds(run))].sort(), label).toEqual(valid.map((i) => i.id).sort());
        await healthy(label);
      }),
      params,
    );
  });

  it('stores nothing twice when the very same batch is sent again', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...eventPaths),
        fc.constantFrom(...eventPaths),
        mixedBatch,
        fc.nat({ max: 3 }),
        async (first, second, specs, copies) => {
          const { run, items } = materialise(specs);
          // An id repeated inside the batch is a duplicate of its first copy already.
          const all = [...items, ...items.slice(0, copies)];
          const a = ingestAckSchema.parse(
            (
              await first.send(
                batchBody(
                  first,
                  all.map((i) => i.json),
                ),
              )
            ).body,
          );
          const b = ingestAckSchema.parse(
            (
              await second.send(
                batchBody(
                  second,
                  all.map((i) => i.json),
                ),
              )
            ).body,
          );
          const label = `${first.name} then ${second.name}: ${text(all.map((i) => i.json)).slice(0, 200)}`;
          const stored = await storedIds(run);
          expect(stored.size, label).toBe(a.accepted);
          expect(a.accepted + a.duplicates, label).toBe(all.filter((i) => i.valid).length);
          expect(b.accepted, label).toBe(0);
          expect(b.duplicates, label).toBe(a.accepted + a.duplicates);
          const where = (ack: IngestAck) => ack.rejected.map((r) => [r.index, r.id, r.errors.map((e) => e.path)]);
          expect(where(b), label).toEqual(where(a));
          await healthy(label);
        },
      ),
      params,
    );
  });

  it('holds at the limits: huge strings, batches, bodies and nesting', async () => {
    const at = Date.now() - 60_000;
    const ev = (id: string, more: Record<string, unknown> = {}) => ({
      id,
      type: 'transcript.segment',
      at,
      contactId: 'lim-c',
      speaker: 'agent',
      text: 'ok',
      ...more,
    });
    const json = (v: unknown) => asBody(JSON.stringify(v));
    const nested = (depth: number, open: string, close: string) => open.repeat(depth) + '1' + close.repeat(depth);
    const protoNest = (depth: number) => '{"__proto__":'.repeat(depth) + '{"polluted":1}' + '}'.repeat(depth);
    const near = (() => {
      // Events of ~60 KB each until the body is just under the limit: every one is stored.
      const pad = 'p'.repeat(60_000);
      const list: unknown[] = [];
      let size = 2;
      for (let i = 0; size + 60_200 < LIMITS.bodyBytes; i++) {
        const e = ev(`lim-near-${i}`, { notes: pad });
        list.push(e);
        size += JSON.stringify(e).length + 1;
      }
      return list;
    })();
    const cases: { name: string; body: Body; expect: (a: Answer) => void; paths?: Transport[] }[] = [
      {
        name: 'text one past textLength',
        body: json([
          ev('lim-t1', { text: 't'.repeat(LIMITS.textLength + 1) }),
          ev('lim-t2', { text: 't'.repeat(LIMITS.textLength) }),
        ]),
        expect: (a) => {
          const ack = ingestAckSchema.parse(a.body);
          expect(ack.rejected.map((r) => [r.index, r.errors[0]!.path])).toEqual([[0, 'text']]);
        },
      },
      {
        name: 'ids one past idLength',
        body: json([
          ev('i'.repeat(LIMITS.idLength + 1)),
          ev(`lim-${'i'.repeat(LIMITS.idLength - 4)}`, { contactId: 'c'.repeat(LIMITS.idLength + 1) }),
        ]),
        expect: (a) => {
          const ack = ingestAckSchema.parse(a.body);
          expect(ack.rejected.map((r) => r.errors[0]!.path)).toEqual(['id', 'contactId']);
          expect(ack.rejected[0]!.errors[0]!.message).toContain(`${LIMITS.idLength}`);
        },
      },
      {
        name: 'one batch past batchEvents',
        body: json(Array.from({ length: LIMITS.batchEvents + 1 }, () => ({}))),
        expect: (a) => expect(a.status).toBe(413),
      },
      {
        name: 'NDJSON lines past batchEvents',
        body: asBody('{}\n'.repeat(LIMITS.batchEvents + 1), 'application/x-ndjson'),
        expect: (a) => expect(a.status).toBe(413),
      },
      {
        name: 'a body just under bodyBytes',
        body: json(near),
        expect: (a) =>
          expect(ingestAckSchema.parse(a.body).accepted + ingestAckSchema.parse(a.body).duplicates).toBe(near.length),
        paths: [httpJson, websocket],
      },
      {
        name: 'a body one byte past bodyBytes',
        body: asBody(`[${' '.repeat(LIMITS.bodyBytes - 1)}]`),
        expect: (a) => (a.closed === undefined ? expect(a.status).toBe(413) : expect(a.closed).toBe(1009)),
      },
      {
        name: '1,000 levels of arrays and __proto__ objects in extra fields',
        body: asBody(
          `[${JSON.stringify(ev('lim-deep-1k')).slice(0, -1)},"deep":${nested(1_000, '[', ']')},"__proto__":${protoNest(1_000)},"constructor":{"prototype":{"polluted":1}}}]`,
        ),
        expect: (a) =>
          expect(ingestAckSchema.parse(a.body).accepted + ingestAckSchema.parse(a.body).duplicates).toBe(1),
      },
      {
        name: '10,000 levels of arrays in an extra field',
        body: asBody(`[${JSON.stringify(ev('lim-deep-a')).slice(0, -1)},"deep":${nested(10_000, '[', ']')}}]`),
        expect: (a) =>
          expect(ingestAckSchema.parse(a.body).rejected[0]!.errors).toEqual([
            { path: '(event)', message: 'nested too deeply to store' },
          ]),
      },
      {
        name: '10,000 levels of __proto__ objects in an extra field',
        body: asBody(
          `[${JSON.stringify(ev('lim-deep-p')).slice(0, -1)},"x":${protoNest(10_000)},"constructor":{"prototype":{"polluted":1}}}]`,
        ),
        expect: (a) =>
          expect(ingestAckSchema.parse(a.body).rejected[0]!.errors).toEqual([
            { path: '(event)', message: 'nested too deeply to store' },
          ]),
      },
      {
        name: '10,000 levels as the whole body',
        body: asBody(nested(10_000, '{"a":', '}')),
        expect: (a) => expect(ingestAckSchema.parse(a.body).rejected[0]!.errors[0]!.path).toBe('type'),
      },
      {
        name: '1,000,000 unclosed brackets',
        body: asBody('['.repeat(1_000_000)),
        expect: (a) => expect(a.status).toBe(400),
      },
    ];
    for (const c of cases) {
      for (const transport of c.paths ?? eventPaths) {
        if (transport === httpNdjson && c.body.contentType === 'application/json' && c.paths === undefined) continue;
        const answer = await transport.send(c.body);
        const allowed = transport === websocket ? WS_ALLOWED : HTTP_ALLOWED;
        await expectAnswered(transport, c.body, answer, allowed);
        c.expect(answer);
      }
    }
    // Deep nesting and prototype keys reach every adapter's record reader too.
    for (const transport of adapterPaths) {
      for (const body of [asBody(protoNest(10_000)), asBody(`[${nested(10_000, '{"a":', '}')}]`)]) {
        await expectAnswered(transport, body, await transport.send(body), HTTP_ALLOWED);
      }
    }
    // Adapters refuse too many records before mapping, whatever the platform.
    for (const transport of adapterPaths) {
      const body = asBody(Array.from({ length: LIMITS.batchEvents + 1 }, () => '{}').join('\n'));
      const answer = await transport.send(body);
      await expectAnswered(transport, body, answer, HTTP_ALLOWED);
      expect(answer.status, transport.name).toBe(413);
    }
  }, 60_000);

  it('answers 401 (or 403, the CSRF check, when nothing like a key is sent) without a valid key', async () => {
    for (const authorization of [undefined, 'Bearer tdk_not-a-key', 'Basic Og==', 'Bearer \u00ff']) {
      for (const path of ['/api/events', '/api/ingest/amazon-connect']) {
        const res = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: '[{"__proto__": {"polluted": 1}}]',
        });
        const label = `${path} ${authorization}`;
        if (authorization?.startsWith('Bearer')) expect(res.status, label).toBe(401);
        else expect([401, 403], label).toContain(res.status);
        expect(((await res.json()) as { error: { message: string } }).error.message, label).toMatch(/\w{3}/);
      }
    }
    await healthy('unauthorised posts');
  });

  it('still reads everything the fuzz stored: the wall, KPIs, QA contacts and transcript search', async () => {
    await server.tandem.store.drain();
    for (const path of ['/api/live', '/api/kpis', '/api/kpis/intervals', '/api/qa/contacts', '/api/qa/search?q=card']) {
      const res = await server.get(path);
      expect(res.status, `${path}: ${(await res.text()).slice(0, 300)}`).toBe(200);
    }
    await healthy('reads');
  });

  it('saw acknowledgements, refusals and closes on every path (the generators reach both sides)', () => {
    for (const t of [httpJson, httpNdjson])
      expect([...seen.get(t.name)!], t.name).toEqual(expect.arrayContaining(['202', '400', '413']));
    expect([...seen.get('websocket')!]).toEqual(
      expect.arrayContaining(['202', '400', '413', 'close 1007', 'close 1009']),
    );
    const adapters = new Set(adapterPaths.flatMap((t) => [...(seen.get(t.name) ?? [])]));
    expect([...adapters]).toEqual(expect.arrayContaining(['202', '400', '413']));
  });

  it('leaves Object.prototype as it was', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});
