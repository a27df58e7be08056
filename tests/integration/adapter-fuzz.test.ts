/**
 * Hostile input for every adapter: the vendors' own samples mutated at random (cut short, bytes
 * spliced in, values swapped for other types), and hostile bodies over HTTP. Nothing may throw, every
 * event an adapter emits must pass the contract, and every problem must come back with a reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterFor, PLATFORMS, readRecords } from '../../server/adapters/registry.ts';
import { checkEvent } from '../../server/contract/events.ts';
import { createApp } from '../../server/http/app.ts';
import { Random } from '../../server/simulator/random.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { ingestKey, tempDbPath, testConfig } from '../helpers/server.ts';

/** Where a platform's samples are: its own folder, or its family's (both Asterisk feeds share `asterisk/`). */
const FIXTURES: Record<string, { folder: string; files: RegExp }> = {
  'asterisk-queue-log': { folder: 'asterisk', files: /^queue-log.*\.log$/ },
  'asterisk-ami': { folder: 'asterisk', files: /^ami.*\.txt$/ },
};
const samples = (platform: string) => {
  const { folder, files } = FIXTURES[platform] ?? { folder: platform, files: /\.jsonl?$/ };
  const dir = new URL(`../fixtures/vendors/${folder}/`, import.meta.url);
  return readdirSync(dir)
    .filter((f) => files.test(f))
    .map((f) => readFileSync(new URL(f, dir), 'utf8'));
};

const WEIRD: unknown[] = [null, -1, 1e308, '', 'x'.repeat(300), '2026-02-30T25:00:00Z', [], {}, true, { __proto__: 1 }];

/** Swaps a few leaves of a parsed sample for values of other types. */
function mutateValue(v: unknown, rnd: Random, depth = 0): unknown {
  if (rnd.chance(0.08)) return rnd.pick(WEIRD);
  if (depth > 12 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => mutateValue(x, rnd, depth + 1));
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [rnd.chance(0.02) ? k.toLowerCase() : k, mutateValue(x, rnd, depth + 1)]),
  );
}

function mutateText(text: string, rnd: Random): string {
  switch (rnd.int(0, 2)) {
    case 0:
      return text.slice(0, rnd.int(0, text.length));
    case 1: {
      const at = rnd.int(0, text.length);
      return (
        text.slice(0, at) + rnd.pick(['{', '}', '[', ']', '"', ',', '//', '\\', '\u0000', '\ud800']) + text.slice(at)
      );
    }
    default: {
      const a = rnd.int(0, text.length);
      return text + text.slice(a, a + rnd.int(1, 500));
    }
  }
}

describe('adapters under hostile input', () => {
  for (const platform of PLATFORMS) {
    it(`${platform}: mutated vendor samples never throw and map only to valid events`, () => {
      const adapter = adapterFor(platform)!;
      const rnd = new Random(8);
      const texts = samples(platform);
      let events = 0;
      let issues = 0;
      for (let round = 0; round < 300; round++) {
        const text = rnd.pick(texts);
        const parsed = readRecords(adapter, text);
        const input = rnd.chance(0.5)
          ? readRecords(adapter, mutateText(text, rnd))
          : parsed.map((p) => (p.ok ? { ok: true as const, value: mutateValue(p.value, rnd) } : p));
        const records = input.flatMap((p, index) => (p.ok ? [{ index, value: p.value }] : []));
        const out = adapter.map(records, Date.UTC(2026, 10, 24));
        for (const { event } of out.events) {
          const check = checkEvent(event);
          expect(check.ok, JSON.stringify(check.ok ? '' : check.errors) + JSON.stringify(event)).toBe(true);
        }
        for (const i of out.issues) expect(i.reason).toMatch(/\w{3}/);
        events += out.events.length;
        issues += out.issues.length;
      }
      // The mutations must exercise both paths, or this test proves nothing.
      expect(events).toBeGreaterThan(100);
      expect(issues).toBeGreaterThan(20);
    });
  }
});

describe('hostile bodies over HTTP', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  let key = '';
  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: db.path }));
    app = createApp(tandem);
    key = await ingestKey(tandem);
  });
  afterAll(async () => {
    await tandem.close();
    db.cleanup();
  });

  it('answers every one with a status and a body, never a 500', async () => {
    const bodies = [
      '\u0000\u0001\u0002',
      '['.repeat(100_000),
      `{"topicName":"v2.users.u.activity","eventBody":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
      JSON.stringify(Array.from({ length: 10_001 }, () => ({}))),
      '{"AgentARN": "a/agent/b", "EventType": "LOGOUT", "EventId": "e", "EventTimestamp": "2999-01-01T00:00:00Z"}',
      `{"conversationId":"c","conversationStart":"2026-11-24T00:00:00Z","participants":[${'{"participantId":"p","purpose":"acd","sessions":[{"segments":[{"segmentType":"interact","segmentStart":"2026-11-24T00:00:00Z","queueId":"q"}]}]},'.repeat(2000)}{"participantId":"z","purpose":"customer"}]}`,
    ];
    for (const platform of PLATFORMS) {
      for (const body of bodies) {
        const res = await app.request(`/api/ingest/${platform}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        });
        const label = `${platform} ${body.slice(0, 40)} -> ${res.status}`;
        expect([202, 400, 413], label).toContain(res.status);
        expect(await res.json(), label).toBeTypeOf('object');
      }
    }
  });

  it('answers hostile form bodies for platforms that take forms, never a 500', async () => {
    const forms = [
      '=',
      '&&&',
      'EventType=%ZZ%',
      'EventType=task.created&TaskSid=' + 'x'.repeat(100_000),
      'EventType=task.created&TimestampMs=1e400&TaskSid=WT1',
      'TaskAttributes=%7B%7B&EventType=task.created&TimestampMs=1795510800000&TaskSid=WT1',
      '__proto__=1&constructor=2&EventType=worker.activity.update&WorkerSid=WK1&WorkerActivityName=&Timestamp=1795510800',
      Array.from({ length: 20_000 }, (_, i) => `P${i}=${i}`).join('&'),
    ];
    for (const platform of PLATFORMS.filter((p) => adapterFor(p)!.formBodies)) {
      for (const body of forms) {
        const res = await app.request(`/api/ingest/${platform}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        const label = `${platform} ${body.slice(0, 40)} -> ${res.status}`;
        expect([202, 400, 413], label).toContain(res.status);
        expect(await res.json(), label).toBeTypeOf('object');
      }
    }
  });
});
