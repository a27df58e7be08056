/**
 * Amazon Connect end to end: a realistic morning for five contacts, told the way Connect tells it
 * (contact events as they happen, agent events, contact records delivered at least once, a Contact
 * Lens stream), posted to /api/ingest/amazon-connect with an ingest key; /api/kpis must show the
 * service level, handle time and abandons worked out by hand below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterAck } from '../../server/contract/ingest-adapters.ts';
import { createApp } from '../../server/http/app.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { ingestKey, signedIn, tempDbPath, testConfig } from '../helpers/server.ts';

const T = Math.floor((Date.now() - 60 * 60_000) / 60_000) * 60_000;
const at = (s: number) => new Date(T + s * 1000).toISOString();
const INSTANCE = 'arn:aws:connect:us-east-1:012345678901:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111';
const agentArn = (id: string) => `${INSTANCE}/agent/${id}`;
const BILLING = { ARN: `${INSTANCE}/queue/q-billing`, Name: 'Billing' };

/** A contact record in the current shape; `over` replaces fields. */
function ctr(contactId: string, over: Record<string, unknown>): Record<string, unknown> {
  return {
    AWSAccountId: '012345678901',
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    Agent: null,
    AgentConnectionAttempts: 1,
    Attributes: {},
    Channel: 'VOICE',
    ContactId: contactId,
    InitiationMethod: 'INBOUND',
    InstanceARN: INSTANCE,
    Recordings: [],
    ...over,
  };
}

function agentEvent(id: string, agent: string, s: number, status: string, contacts: unknown[], before: unknown[]) {
  const snapshot = (c: unknown[]) => ({
    AgentStatus: { ARN: `${INSTANCE}/agent-state/x`, Name: status, StartTimestamp: at(0) },
    Configuration: {
      FirstName: agent,
      LastName: 'Agent',
      Username: agent,
      RoutingProfile: {
        Name: 'Billing profile',
        InboundQueues: [BILLING, { ARN: `${INSTANCE}/queue/agent/x`, Name: null }],
      },
    },
    Contacts: c,
  });
  return {
    AWSAccountId: '012345678901',
    AgentARN: agentArn(agent),
    EventId: id,
    EventTimestamp: at(s),
    EventType: 'STATE_CHANGE',
    InstanceARN: INSTANCE,
    CurrentAgentSnapshot: snapshot(contacts),
    PreviousAgentSnapshot: snapshot(before),
    Version: '2019-05-25',
  };
}

const contactEvent = (eventType: string, contactId: string, s: number, detail: Record<string, unknown>) => ({
  version: '0',
  id: `eb-${contactId}-${eventType}`,
  'detail-type': 'Amazon Connect Contact Event',
  source: 'aws.connect',
  time: at(s),
  detail: { eventType, contactId, channel: 'VOICE', initiationMethod: 'INBOUND', instanceArn: INSTANCE, ...detail },
});

// c1: waits 10 s, answered by ana (within 20 s), talks to 195 s, after-contact work to 225 s: handle 210 s.
const inCall = (s: number, state: string, since: number) => ({
  ContactId: 'c1',
  Channel: 'VOICE',
  InitiationMethod: 'INBOUND',
  Queue: BILLING,
  QueueTimestamp: at(5),
  ConnectedToAgentTimestamp: at(15),
  State: state,
  StateStartTimestamp: at(since),
});
const c1Events = [
  agentEvent('ae-1', 'ana', 15, 'Available', [inCall(15, 'CONNECTED', 15)], []),
  agentEvent('ae-2', 'ana', 195, 'Available', [inCall(195, 'ENDED', 195)], [inCall(15, 'CONNECTED', 15)]),
  agentEvent('ae-3', 'ana', 225, 'Available', [], [inCall(195, 'ENDED', 195)]),
];
const c1Record = (last: number, acwEnd: string | null) =>
  ctr('c1', {
    InitiationTimestamp: at(2),
    LastUpdateTimestamp: at(last),
    DisconnectTimestamp: at(195),
    DisconnectReason: 'CUSTOMER_DISCONNECT',
    Queue: { ...BILLING, EnqueueTimestamp: at(5), DequeueTimestamp: at(15) },
    Agent: {
      ARN: agentArn('ana'),
      Username: 'ana',
      ConnectedToAgentTimestamp: at(15),
      AfterContactWorkStartTimestamp: at(195),
      AfterContactWorkEndTimestamp: acwEnd,
    },
  });

// c2: contact events as they happen (queue named by its ARN there), waits 35 s, answered by ben; no
// after-contact work, so the record's disconnect at 335 s ends the handling: 240 s.
const c2Queue = { queueArn: `${INSTANCE}/queue/q-billing`, enqueueTimestamp: at(60) };
const c2Events = [
  contactEvent('INITIATED', 'c2', 58, { initiationTimestamp: at(58) }),
  contactEvent('QUEUED', 'c2', 60, { initiationTimestamp: at(58), queueInfo: c2Queue }),
  contactEvent('CONNECTED_TO_AGENT', 'c2', 95, {
    initiationTimestamp: at(58),
    queueInfo: c2Queue,
    agentInfo: { agentArn: agentArn('ben'), connectedToAgentTimestamp: at(95) },
  }),
  contactEvent('DISCONNECTED', 'c2', 335, {
    initiationTimestamp: at(58),
    disconnectTimestamp: at(335),
    disconnectReason: 'AGENT_DISCONNECT',
    queueInfo: c2Queue,
    AgentInfo: { AgentArn: agentArn('ben'), connectedToAgentTimestamp: at(95) },
  }),
];
const c2Record = ctr('c2', {
  InitiationTimestamp: at(58),
  LastUpdateTimestamp: at(340),
  DisconnectTimestamp: at(335),
  DisconnectReason: 'AGENT_DISCONNECT',
  Queue: { ...BILLING, EnqueueTimestamp: at(60), DequeueTimestamp: at(95) },
  Agent: { ARN: agentArn('ben'), Username: 'ben', ConnectedToAgentTimestamp: at(95) },
});

// c3 gives up after 30 s; c4 after 2 s (a short abandon); c5 is an outbound call (no queue).
const abandoned = (id: string, q: number, gone: number) =>
  ctr(id, {
    InitiationTimestamp: at(q - 1),
    LastUpdateTimestamp: at(gone + 1),
    DisconnectTimestamp: at(gone),
    DisconnectReason: 'CUSTOMER_DISCONNECT',
    Queue: { ...BILLING, EnqueueTimestamp: at(q), DequeueTimestamp: at(gone) },
  });
const c5 = ctr('c5', {
  InitiationMethod: 'OUTBOUND',
  InitiationTimestamp: at(400),
  LastUpdateTimestamp: at(500),
  DisconnectTimestamp: at(480),
  Queue: { ...BILLING, EnqueueTimestamp: null },
  Agent: { ARN: agentArn('ana'), ConnectedToAgentTimestamp: at(405), AfterContactWorkEndTimestamp: at(490) },
});
const lens = {
  Version: '1.0.0',
  Channel: 'VOICE',
  ContactId: 'c1',
  EventType: 'SEGMENTS',
  Segments: [
    {
      Transcript: {
        Id: 't1',
        ParticipantId: 'AGENT',
        ParticipantRole: 'AGENT',
        Content: 'Billing, this is Ana.',
        BeginOffsetMillis: 500,
        EndOffsetMillis: 1500,
        Sentiment: 'NEUTRAL',
      },
    },
    {
      Transcript: {
        Id: 't2',
        ParticipantId: 'CUSTOMER',
        ParticipantRole: 'CUSTOMER',
        Content: 'My card 4111 1111 1111 1111 was charged twice.',
        BeginOffsetMillis: 2000,
        EndOffsetMillis: 5000,
        Sentiment: 'NEGATIVE',
      },
    },
  ],
};

describe('Amazon Connect end to end', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  let key = '';
  let cookie = '';
  const post = async (body: string, platform = 'amazon-connect', k = key) => {
    const res = await app.request(`/api/ingest/${platform}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${k}` },
      body,
    });
    return { status: res.status, body: (await res.json()) as AdapterAck & { error?: { code: string } } };
  };

  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: db.path }));
    app = createApp(tandem);
    key = await ingestKey(tandem);
    cookie = (await signedIn(tandem, ['admin'])).cookie;
  });
  afterAll(async () => {
    await tandem.close();
    db.cleanup();
  });

  it('turns the feeds into the KPIs they imply, and a redelivery changes nothing', async () => {
    // Live first: contact events and agent events, and an older copy of c1's record (no ACW end yet).
    const live = [...c2Events, ...c1Events, lens, c1Record(196, null), { unrelated: true }];
    const first = await post(JSON.stringify(live));
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ platform: 'amazon-connect', records: live.length, unknown: 1, malformed: 0 });
    expect(first.body.issues).toEqual([{ record: live.length - 1, kind: 'unknown', reason: expect.any(String) }]);
    expect(first.body.rejected).toEqual([]);
    expect(first.body.accepted).toBeGreaterThan(10);

    // Later, the contact records arrive as Firehose writes them (concatenated), c1's newer copy among them.
    const records = [c1Record(230, at(225)), c2Record, abandoned('c3', 120, 150), abandoned('c4', 200, 202), c5];
    const later = await post(records.map((r) => JSON.stringify(r)).join(''));
    expect(later.body).toMatchObject({ records: 5, unknown: 0, malformed: 0, rejected: [] });

    const again = await post(records.map((r) => JSON.stringify(r)).join('\n'));
    expect(again.body.accepted).toBe(0);
    expect(again.body.duplicates).toBe(again.body.events);

    const res = await app.request(`/api/kpis?from=${T}&to=${T + 3_600_000}`, { headers: { cookie } });
    const { kpis } = (await res.json()) as { kpis: Record<string, number | null> };
    // Offered 4 (c1–c4; c5 is outbound). Answered 2: c1 in 10 s (within 20 s), c2 in 35 s.
    // Abandoned 1 (c3, 30 s); c4 left after 2 s, a short abandon outside the denominators.
    // Service level = 1 / (2 answered + 1 abandoned) = 1/3. AHT = (210 + 240) / 2 = 225 s. ASA = 22.5 s.
    expect(kpis).toMatchObject({
      contacts: 5,
      offered: 4,
      answered: 2,
      abandoned: 1,
      shortAbandoned: 1,
      answeredWithinThreshold: 1,
      ahtSeconds: 225,
      asaSeconds: 22.5,
    });
    expect(kpis.serviceLevel).toBeCloseTo(1 / 3, 10);
    expect(kpis.abandonRate).toBeCloseTo(1 / 3, 10);
    // c2's contact events name its queue only by ARN; the agent events in the same batch taught the name.
    const billing = await app.request(`/api/kpis?from=${T}&to=${T + 3_600_000}&queue=Billing`, { headers: { cookie } });
    expect(((await billing.json()) as { kpis: Record<string, unknown> }).kpis).toMatchObject({
      offered: 4,
      answered: 2,
    });

    // The Contact Lens segments are stored on c1's time, redacted like any transcript.
    const rows = await tandem.db.query<{ body: string }>(
      "SELECT body FROM events WHERE type = 'transcript.segment' ORDER BY at_ms",
    );
    expect(rows.map((r) => JSON.parse(r.body) as Record<string, unknown>)).toMatchObject([
      { speaker: 'agent', at: T + 15_000 + 500, source: 'amazon-connect' },
      { speaker: 'customer', text: 'My card [CARD] was charged twice.', sentiment: -0.5 },
    ]);
  });

  it('answers like /api/events for what is not a feed: unknown platform, a bad key, empty body, a key for other sources', async () => {
    expect((await post('[]', 'no-such-platform')).status).toBe(404);
    expect((await post('[]', 'amazon-connect', 'tdk_' + 'x'.repeat(40))).status).toBe(401);
    const empty = await post('  ');
    expect(empty.status).toBe(400);
    const scoped = await ingestKey(tandem, { scopeSources: ['genesys-cloud'] });
    const res = await post(JSON.stringify(abandoned('c9', 300, 320)), 'amazon-connect', scoped);
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected[0]).toMatchObject({ record: 0, errors: [{ path: 'source' }] });
  });
});
