/**
 * Genesys Cloud end to end: one call seen live through notifications (routing status, queue
 * conversation snapshots), then the morning backfilled from analytics conversation details (that same
 * call again, another answered after a hold, one abandon, one short abandon), all posted to
 * /api/ingest/genesys-cloud with an ingest key; /api/kpis must show what the sequence implies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterAck } from '../../server/contract/ingest-adapters.ts';
import { createApp } from '../../server/http/app.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { ingestKey, signedIn, tempDbPath, testConfig } from '../helpers/server.ts';

const T = Math.floor((Date.now() - 60 * 60_000) / 60_000) * 60_000;
const at = (s: number) => new Date(T + s * 1000).toISOString();
const QUEUE = '0e185c02-aca1-4a72-82ea-2e78684e2c89';
const ANA = 'user-ana';
const BEN = 'user-ben';

// A: IVR to 30 s, queue 30–42 s, Ana answers at 45 s (15 s wait), call ends 300 s, wrap-up to 330 s: handle 285 s.
function snapshotA(step: 1 | 2 | 3): unknown {
  const done = step >= 2;
  return {
    topicName: `v2.routing.queues.${QUEUE}.conversations`,
    version: '2',
    eventBody: {
      id: 'conv-a',
      participants: [
        {
          id: 'a-customer',
          purpose: 'customer',
          connectedTime: at(0),
          ...(done ? { endTime: at(300) } : {}),
          calls: [
            {
              state: done ? 'disconnected' : 'connected',
              connectedTime: at(0),
              ...(done ? { disconnectType: 'endpoint', disconnectedTime: at(300) } : {}),
            },
          ],
        },
        {
          id: 'a-ivr',
          purpose: 'ivr',
          name: 'Main IVR',
          connectedTime: at(0.5),
          endTime: at(30),
          calls: [{ state: 'disconnected', disconnectType: 'transfer' }],
        },
        {
          id: 'a-acd',
          purpose: 'acd',
          queueId: QUEUE,
          connectedTime: at(30),
          endTime: at(42),
          calls: [{ state: 'disconnected', disconnectType: 'transfer' }],
        },
        {
          id: 'a-agent',
          purpose: 'agent',
          userId: ANA,
          queueId: QUEUE,
          connectedTime: at(45),
          wrapupRequired: true,
          ...(done ? { endTime: at(300) } : {}),
          ...(step === 3 ? { wrapup: { code: 'billing-question', endTime: at(330) } } : {}),
          calls: [
            {
              state: done ? 'disconnected' : 'connected',
              connectedTime: at(45),
              ...(done ? { disconnectedTime: at(300), disconnectType: 'peer' } : {}),
            },
          ],
        },
      ],
    },
  };
}
const routing = (user: string, status: string, s: number) => ({
  topicName: `v2.users.${user}.routingStatus`,
  version: '2',
  eventBody: { routingStatus: { userId: user, status, startTime: at(s) } },
});

type Seg = [type: string, start: number, end: number, extra?: Record<string, unknown>];
const session = (mediaType: string, segments: Seg[]) => ({
  mediaType,
  segments: segments.map(([segmentType, s, e, extra]) => ({
    segmentType,
    segmentStart: at(s),
    segmentEnd: at(e),
    ...extra,
  })),
});
const detail = (id: string, start: number, participants: unknown[]) => ({
  conversationId: id,
  conversationStart: at(start),
  participants,
});
const q = { queueId: QUEUE };
const details = {
  conversations: [
    detail('conv-a', 0, [
      {
        participantId: 'a-customer',
        purpose: 'customer',
        sessions: [session('voice', [['interact', 0, 300, { disconnectType: 'endpoint' }]])],
      },
      { participantId: 'a-ivr', purpose: 'ivr', sessions: [session('voice', [['ivr', 0.5, 30]])] },
      {
        participantId: 'a-acd',
        purpose: 'acd',
        sessions: [session('voice', [['interact', 30, 42, { ...q, disconnectType: 'transfer' }]])],
      },
      {
        participantId: 'a-agent',
        purpose: 'agent',
        userId: ANA,
        sessions: [
          session('voice', [
            ['alert', 42, 45, q],
            ['interact', 45, 300, q],
            ['wrapup', 300, 330, { ...q, wrapUpCode: 'billing-question' }],
          ]),
        ],
      },
    ]),
    // B: queued 100–140 s, Ben answers at 140 s (40 s), holds 200–230 s, ends 400 s, wrap-up to 420 s: handle 280 s.
    detail('conv-b', 98, [
      {
        participantId: 'b-customer',
        purpose: 'customer',
        sessions: [session('voice', [['interact', 98, 400, { disconnectType: 'peer' }]])],
      },
      {
        participantId: 'b-acd',
        purpose: 'acd',
        sessions: [
          session('voice', [
            ['delay', 100, 101, q],
            ['interact', 101, 140, { ...q, disconnectType: 'transfer' }],
          ]),
        ],
      },
      {
        participantId: 'b-agent-failed',
        purpose: 'agent',
        userId: ANA,
        sessions: [
          session('voice', [['alert', 120, 120, { ...q, errorCode: 'error.ininedgecontrol.connection.protocol' }]]),
        ],
      },
      {
        participantId: 'b-agent',
        purpose: 'agent',
        userId: BEN,
        sessions: [
          session('voice', [
            ['alert', 130, 140, q],
            ['interact', 140, 200, q],
            ['hold', 200, 230, q],
            ['interact', 230, 400, { ...q, disconnectType: 'client' }],
            ['wrapup', 399.5, 420, q],
          ]),
        ],
      },
    ]),
    // C gives up after 30 s in queue; D after 3 s (a short abandon).
    detail('conv-c', 149, [
      {
        participantId: 'c-customer',
        purpose: 'customer',
        sessions: [session('voice', [['interact', 149, 180, { disconnectType: 'endpoint' }]])],
      },
      {
        participantId: 'c-acd',
        purpose: 'acd',
        sessions: [session('voice', [['interact', 150, 180, { ...q, disconnectType: 'peer' }]])],
      },
    ]),
    detail('conv-d', 499, [
      {
        participantId: 'd-customer',
        purpose: 'customer',
        sessions: [session('chat', [['interact', 499, 503, { disconnectType: 'endpoint' }]])],
      },
      {
        participantId: 'd-acd',
        purpose: 'acd',
        sessions: [session('chat', [['interact', 500, 503, { ...q, disconnectType: 'peer' }]])],
      },
    ]),
  ],
};

describe('Genesys Cloud end to end', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  let key = '';
  let cookie = '';
  const post = async (body: string) => {
    const res = await app.request('/api/ingest/genesys-cloud', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
      body,
    });
    expect(res.status).toBe(202);
    return (await res.json()) as AdapterAck;
  };

  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: db.path }));
    app = createApp(tandem);
    key = await ingestKey(tandem, { scopeSources: ['genesys-cloud'] });
    cookie = (await signedIn(tandem, ['admin'])).cookie;
  });
  afterAll(async () => {
    await tandem.close();
    db.cleanup();
  });

  it('turns live notifications and a backfill into the KPIs they imply, each fact once', async () => {
    const live = [
      { topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } },
      routing(ANA, 'IDLE', -600),
      routing(BEN, 'IDLE', -600),
      snapshotA(1),
      routing(ANA, 'INTERACTING', 45),
      snapshotA(2),
      snapshotA(2),
      snapshotA(3),
      routing(ANA, 'IDLE', 330),
      { topicName: 'v2.users.user-ana.geolocation', eventBody: {} },
    ];
    const first = await post(live.map((r) => JSON.stringify(r)).join('\n'));
    expect(first).toMatchObject({
      platform: 'genesys-cloud',
      records: live.length,
      ignored: 1,
      unknown: 1,
      malformed: 0,
      rejected: [],
    });
    expect(first.duplicates).toBeGreaterThan(0); // the repeated snapshot

    const backfill = await post(JSON.stringify(details));
    expect(backfill).toMatchObject({ records: 1, unknown: 0, malformed: 0, rejected: [] });
    // Conversation A was already told live: its backfilled facts are duplicates.
    expect(backfill.duplicates).toBe(7);

    const res = await app.request(`/api/kpis?from=${T}&to=${T + 3_600_000}`, { headers: { cookie } });
    const { kpis } = (await res.json()) as { kpis: Record<string, unknown> };
    // Offered 4. Answered 2: A in 15 s (within 20 s), B in 40 s. Abandoned 1 (C, 30 s); D left after
    // 3 s, a short abandon. Service level = 1 / (2 + 1) = 1/3. AHT = (285 + 280) / 2 = 282.5 s.
    // ASA = (15 + 40) / 2 = 27.5 s. A went through the IVR first: one bot session, escalated.
    expect(kpis).toMatchObject({
      contacts: 4,
      offered: 4,
      answered: 2,
      abandoned: 1,
      shortAbandoned: 1,
      answeredWithinThreshold: 1,
      ahtSeconds: 282.5,
      asaSeconds: 27.5,
      botSessions: 1,
      botEscalated: 1,
      contactsByHandler: { ai: 0, hybrid: 1, human: 3 },
    });
    expect(kpis.serviceLevel).toBeCloseTo(1 / 3, 10);
  });
});
