/**
 * No acknowledged event is lost: the real server (`tandem serve`, a child process) takes batches from
 * concurrent HTTP and websocket producers and is killed with SIGKILL at a random moment, restarted, and
 * killed again, round after round. Afterwards the database holds every acknowledged event exactly once,
 * nothing that was never sent, and the KPI facts rebuild from it. Batches in flight at a kill are sent
 * again after the restart: each of their events ends up stored once, whether or not it made it before.
 * The kill moments come from a seeded generator; CRASH_SEED=<n> replays a failing run.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { openDatabase } from '../../server/db/duckdb.ts';
import { refreshFacts, resetFacts } from '../../server/kpi/kpi-facts.ts';
import { tempDbPath } from '../helpers/server.ts';
import { BIN, serveChild, type ChildServer } from '../helpers/child-server.ts';

const ROUNDS = 8;
const HTTP_PRODUCERS = 3;
const WS_PRODUCERS = 2;
const BATCH = 40;

/** mulberry32: small, seedable, good enough to pick kill moments. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Event = { id: string; type: string; at: number; contactId: string; channel?: string; queue?: string };

/** A batch: half contact starts, half queue entries, so the KPI facts have contacts to pair. */
function batchOf(prefix: string, at: number): Event[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const contactId = `${prefix}-c${i >> 1}`;
    return i % 2 === 0
      ? { id: `${prefix}-${i}`, type: 'contact.started', at: at + i, contactId, channel: 'chat' }
      : { id: `${prefix}-${i}`, type: 'queue.entered', at: at + i + 1, contactId, queue: 'crash' };
  });
}

/** Which batches were acknowledged and which were sent without an answer (in flight at the kill). */
type Ledger = { acked: Set<string>; sent: Set<string>; unanswered: Event[][] };

async function postBatch(
  url: string,
  key: string,
  events: Event[],
): Promise<{ accepted: number; duplicates: number } | null> {
  try {
    const res = await fetch(`${url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(events),
    });
    if (res.status !== 202) return null;
    const ack = (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
    if (ack.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(ack.rejected)}`);
    return ack;
  } catch (err) {
    if (String(err).includes('rejected')) throw err;
    return null; // connection reset by the kill
  }
}

async function httpProducer(url: string, key: string, name: string, ledger: Ledger, stop: () => boolean) {
  for (let n = 0; !stop(); n++) {
    const events = batchOf(`${name}-b${n}`, Date.UTC(2026, 0, 5, 9) + n * 1000);
    for (const e of events) ledger.sent.add(e.id);
    const ack = await postBatch(url, key, events);
    if (ack) {
      expect(ack.accepted + ack.duplicates).toBe(events.length);
      for (const e of events) ledger.acked.add(e.id);
    } else {
      ledger.unanswered.push(events);
      return;
    }
  }
}

/** Sends batches over one socket, a few ahead of the acks as a real producer would. */
function wsProducer(url: string, key: string, name: string, ledger: Ledger, stop: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url.replace('http', 'ws') + '/ws/ingest', { headers: { authorization: `Bearer ${key}` } });
    const waiting = new Map<string, Event[]>();
    let n = 0;
    const send = () => {
      if (stop() || ws.readyState !== WebSocket.OPEN) return;
      const batch = `${name}-b${n}`;
      const events = batchOf(batch, Date.UTC(2026, 0, 5, 10) + n++ * 1000);
      for (const e of events) ledger.sent.add(e.id);
      waiting.set(batch, events);
      ws.send(JSON.stringify({ batch, events }));
    };
    ws.on('open', () => {
      for (let i = 0; i < 3; i++) send();
    });
    ws.on('message', (data) => {
      const reply = JSON.parse(String(data)) as { type: string; batch: string; accepted: number; duplicates: number };
      const events = waiting.get(reply.batch);
      if (reply.type !== 'ack' || !events) throw new Error(`unexpected reply ${String(data)}`);
      waiting.delete(reply.batch);
      expect(reply.accepted + reply.duplicates).toBe(events.length);
      for (const e of events) ledger.acked.add(e.id);
      send();
      if (stop() && waiting.size === 0) ws.close();
    });
    const done = () => {
      ledger.unanswered.push(...waiting.values());
      waiting.clear();
      resolve();
    };
    ws.on('close', done);
    ws.on('error', () => undefined); // followed by close
  });
}

describe('crash safety', () => {
  it(
    `keeps every acknowledged event exactly once across ${ROUNDS} SIGKILLs under load`,
    { timeout: 120_000 },
    async () => {
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
      const random = rng(seed);
      const db = tempDbPath();
      const started = Date.now();
      const ledger: Ledger = { acked: new Set(), sent: new Set(), unanswered: [] };
      let kills = 0;
      let resent = 0;
      let inFlight = 0;
      let current: ChildServer | null = null;
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'key', 'add', 'crash', '--json'], {
          env: { ...process.env, TANDEM_DB: db.path, TANDEM_LOG_LEVEL: 'silent' },
        });
        const key = (JSON.parse(stdout) as { secret: string }).secret;

        for (let round = 0; round <= ROUNDS; round++) {
          const server = await serveChild(db.path);
          current = server;
          // What was in flight at the last kill goes again: each event is stored at most once more.
          const again = ledger.unanswered.splice(0);
          inFlight += again.length;
          for (const events of again) {
            const ack = await postBatch(server.url, key, events);
            expect(ack, `seed ${seed}: resend refused`).not.toBeNull();
            expect(ack!.accepted + ack!.duplicates).toBe(events.length);
            resent += ack!.duplicates;
            for (const e of events) ledger.acked.add(e.id);
          }
          if (round === ROUNDS) {
            // The last start: a clean stop, so the check below reads a closed file.
            server.child.kill('SIGTERM');
            expect(await server.exited).toBe(0);
            break;
          }
          let stopped = false;
          const stop = () => stopped;
          const producers = [
            ...Array.from({ length: HTTP_PRODUCERS }, (_, p) =>
              httpProducer(server.url, key, `r${round}h${p}`, ledger, stop),
            ),
            ...Array.from({ length: WS_PRODUCERS }, (_, p) =>
              wsProducer(server.url, key, `r${round}w${p}`, ledger, stop),
            ),
          ];
          await new Promise((r) => setTimeout(r, 150 + random() * 1200));
          server.child.kill('SIGKILL');
          kills++;
          await server.exited;
          stopped = true;
          await Promise.all(producers);
        }
        current = null;

        const conn = await openDatabase(db.path);
        try {
          const twice = await conn.query<{ id: string; n: number }>(
            'SELECT id, count(*) AS n FROM events GROUP BY id HAVING count(*) > 1 LIMIT 5',
          );
          expect(twice, `seed ${seed}: stored twice`).toEqual([]);
          const stored = new Set((await conn.query<{ id: string }>('SELECT id FROM events')).map((r) => r.id));
          const lost = [...ledger.acked].filter((id) => !stored.has(id));
          expect(lost.slice(0, 5), `seed ${seed}: acknowledged but not stored (${lost.length})`).toEqual([]);
          const unsent = [...stored].filter((id) => !ledger.sent.has(id));
          expect(unsent.slice(0, 5), `seed ${seed}: stored but never sent`).toEqual([]);
          // Everything sent was acknowledged in the end (in flight batches were resent).
          expect(stored.size).toBe(ledger.sent.size);
          const staged = await conn.query<{ n: number }>('SELECT count(*) AS n FROM events_incoming');
          expect(staged[0]!.n).toBe(0);
          // The KPI facts rebuild from scratch over what survived.
          await resetFacts(conn);
          const facts = await refreshFacts(conn);
          expect(facts.full).toBe(true);
          const contacts = await conn.query<{ n: number }>('SELECT count(DISTINCT contact_id) AS n FROM events');
          expect(contacts[0]!.n).toBe(stored.size / 2);
          console.log(
            `crash safety: seed ${seed}, ${kills} kills, ${stored.size} events stored (${ledger.acked.size} acknowledged), ` +
              `${inFlight} batches in flight at a kill and resent, ${resent} of their events already stored, ${Date.now() - started} ms`,
          );
        } finally {
          await conn.close();
        }
      } finally {
        current?.child.kill('SIGKILL');
        await current?.exited;
        db.cleanup();
      }
    },
  );
});
