/**
 * The QA contacts API: filters (each alone and combined) against a reference computed here from the
 * generator's own description of each contact, search words among filtered contacts, CSV export, the
 * contact view, bulk import and a scoped reviewer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QaContactList, QaContactView } from '../../server/contract/qa.ts';
import { postEvents, signedIn, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

type Mood = 'positive' | 'negative' | 'neutral';
type Spec = {
  id: string;
  minute: number;
  channel: 'voice' | 'chat' | 'email';
  bot: 'none' | 'contained' | 'escalated';
  reason: 'low_confidence' | 'customer_request' | 'complex_issue';
  queue: 'billing' | 'sales' | 'support';
  answered: boolean;
  agent: 'a1' | 'a2' | 'a3';
  csat: number | null;
  nps: number | null;
  converted: boolean;
  disposition: 'refund' | 'info' | null;
  mood: Mood;
  holdSec: number;
};
const TEXT: Record<Mood, string[]> = {
  positive: ['Thank you so much, that was really helpful', '谢谢，问题已解决了'],
  negative: ['This is unacceptable, I am furious', '我非常不满意，我要投诉'],
  neutral: ['My order number is 5521', '请帮我查一下订单'],
};

let seed = 11;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const SPECS: Spec[] = Array.from({ length: 72 }, (_, i) => {
  const bot = pick(['none', 'contained', 'escalated'] as const);
  return {
    id: `c${String(i).padStart(3, '0')}`,
    minute: i * 3,
    channel: pick(['voice', 'chat', 'email'] as const),
    bot,
    reason: pick(['low_confidence', 'customer_request', 'complex_issue'] as const),
    queue: pick(['billing', 'sales', 'support'] as const),
    answered: bot !== 'contained' && random() < 0.8,
    agent: pick(['a1', 'a2', 'a3'] as const),
    csat: random() < 0.7 ? 1 + Math.floor(random() * 5) : null,
    nps: random() < 0.5 ? Math.floor(random() * 11) : null,
    converted: random() < 0.25,
    disposition: pick(['refund', 'info', null] as const),
    mood: pick(['positive', 'negative', 'neutral'] as const),
    holdSec: pick([0, 30, 180]),
  };
});
const humanPart = (s: Spec) => s.bot !== 'contained';
const agentOf = (s: Spec) => (humanPart(s) && s.answered ? s.agent : null);

function eventsOf(s: Spec, start: number): object[] {
  let sec = 0;
  const at = () => start + s.minute * 60_000 + sec++ * 1000;
  const base = (type: string, extra: object = {}) => ({
    id: `${s.id}-${sec}`,
    type,
    at: at(),
    contactId: s.id,
    ...extra,
  });
  const say = (speaker: string, text: string, extra: object = {}) =>
    base('transcript.segment', { speaker, text, ...extra });
  const out: object[] = [base('contact.started', { channel: s.channel, customerId: `cu-${s.id}` })];
  out.push(say('customer', pick(TEXT[s.mood])));
  if (s.bot !== 'none') {
    out.push(base('bot.started', { botId: 'helper' }));
    out.push(say('bot', 'How can I help you today?'));
    out.push(
      base('bot.ended', {
        outcome: s.bot,
        ...(s.bot === 'escalated' ? { reason: s.reason, intent: 'billing_question' } : {}),
      }),
    );
  }
  if (humanPart(s)) {
    out.push(base('queue.entered', { queue: s.queue }));
    if (s.answered) {
      out.push(base('queue.left', { queue: s.queue, outcome: 'answered', agentId: s.agent }));
      out.push(say('agent', 'Let me look into that for you', { agentId: s.agent }));
      if (s.holdSec) {
        out.push(base('contact.held', { agentId: s.agent }));
        sec += s.holdSec;
        out.push(base('contact.resumed', { agentId: s.agent }));
      }
      out.push(say('customer', pick(TEXT[s.mood])));
    } else {
      out.push(base('queue.left', { queue: s.queue, outcome: 'abandoned' }));
    }
  }
  out.push(base('contact.ended'));
  if (agentOf(s))
    out.push(base('wrapup.completed', { agentId: s.agent, ...(s.disposition ? { disposition: s.disposition } : {}) }));
  if (s.csat !== null || s.nps !== null)
    out.push(
      base('survey.completed', {
        ...(s.csat !== null ? { csat: s.csat } : {}),
        ...(s.nps !== null ? { nps: s.nps } : {}),
      }),
    );
  if (s.converted) out.push(base('contact.converted', { amount: 20, currency: 'USD' }));
  return out;
}

/** The flags the rules must raise for a spec, derived from the spec, not from the server's code. */
function flagsOf(s: Spec): string[] {
  const flags: string[] = [];
  if (s.mood === 'negative') flags.push('negative_end');
  if (agentOf(s) && s.holdSec >= 120) flags.push('long_hold');
  if (s.csat !== null && s.csat <= 2) flags.push('low_csat');
  if (s.bot === 'escalated' && !s.answered) flags.push('abandoned_after_handoff');
  return flags;
}

type Filter = { params: [string, string][]; keep: (s: Spec) => boolean };
const FILTERS: Record<string, Filter> = {
  chat: { params: [['channel', 'chat']], keep: (s) => s.channel === 'chat' },
  voiceOrEmail: {
    params: [
      ['channel', 'voice'],
      ['channel', 'email'],
    ],
    keep: (s) => s.channel !== 'chat',
  },
  hybrid: { params: [['handler', 'hybrid']], keep: (s) => s.bot === 'escalated' },
  aiOrHuman: {
    params: [
      ['handler', 'ai'],
      ['handler', 'human'],
    ],
    keep: (s) => s.bot !== 'escalated',
  },
  billing: { params: [['queue', 'billing']], keep: (s) => humanPart(s) && s.queue === 'billing' },
  agentA2: { params: [['agent', 'a2']], keep: (s) => agentOf(s) === 'a2' },
  escalatedFailure: {
    params: [
      ['botOutcome', 'escalated'],
      ['reason', 'low_confidence'],
    ],
    keep: (s) => s.bot === 'escalated' && s.reason === 'low_confidence',
  },
  csatLow: { params: [['csatMax', '2']], keep: (s) => s.csat !== null && s.csat <= 2 },
  csatRange: {
    params: [
      ['csatMin', '3'],
      ['csatMax', '4'],
    ],
    keep: (s) => s.csat !== null && s.csat >= 3 && s.csat <= 4,
  },
  promoters: { params: [['npsMin', '9']], keep: (s) => s.nps !== null && s.nps >= 9 },
  negative: { params: [['sentiment', 'negative']], keep: (s) => s.mood === 'negative' },
  notNegative: {
    params: [
      ['sentiment', 'positive'],
      ['sentiment', 'neutral'],
    ],
    keep: (s) => s.mood !== 'negative',
  },
  converted: { params: [['converted', 'yes']], keep: (s) => s.converted },
  notConverted: { params: [['converted', 'no']], keep: (s) => !s.converted },
  refund: { params: [['disposition', 'refund']], keep: (s) => agentOf(s) !== null && s.disposition === 'refund' },
  longHold: { params: [['flag', 'long_hold']], keep: (s) => flagsOf(s).includes('long_hold') },
  lowCsatOrAbandoned: {
    params: [
      ['flag', 'low_csat'],
      ['flag', 'abandoned_after_handoff'],
    ],
    keep: (s) => flagsOf(s).some((f) => f === 'low_csat' || f === 'abandoned_after_handoff'),
  },
};

describe('QA contacts', () => {
  let server: TestServer;
  const db = tempDbPath();
  const start = Date.now() - 6 * 60 * 60_000;
  const list = async (params: [string, string][]) => {
    const res = await server.get(`/api/qa/contacts?${new URLSearchParams(params)}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as QaContactList;
  };
  const everyId = async (params: [string, string][]) => {
    const first = await list([...params, ['size', '200']]);
    return first.rows.map((r) => r.contactId).sort();
  };

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
    const events = SPECS.flatMap((s) => eventsOf(s, start));
    const res = await postEvents(server, events);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: events.length, rejected: [] });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('summarises each contact as its events say', async () => {
    const all = await list([['size', '200']]);
    expect(all.total).toBe(SPECS.length);
    expect(all.rows.map((r) => r.contactId)).toEqual(SPECS.map((s) => s.id).reverse());
    for (const row of all.rows) {
      const s = SPECS.find((x) => x.id === row.contactId)!;
      expect(row, s.id).toMatchObject({
        channel: s.channel,
        handler: s.bot === 'none' ? 'human' : s.bot === 'escalated' ? 'hybrid' : 'ai',
        agents: agentOf(s) ? [s.agent] : [],
        csat: s.csat,
        nps: s.nps,
        converted: s.converted,
        flags: flagsOf(s),
      });
    }
  });

  it('filters alone and in every pair, as the reference says', async () => {
    const names = Object.keys(FILTERS);
    const keys = (n: string) => new Set(FILTERS[n]!.params.map(([k]) => k));
    // Two filters on one key are one filter with more values (OR), so pairs take different keys.
    const pairs = names.flatMap((a, i) =>
      names.slice(i + 1).flatMap((b) => ([...keys(a)].some((k) => keys(b).has(k)) ? [] : [[a, b]])),
    );
    const combos = [...names.map((n) => [n]), ...pairs];
    expect(pairs.length).toBeGreaterThan(100);
    for (const combo of combos) {
      const filters = combo.map((n) => FILTERS[n]!);
      const expected = SPECS.filter((s) => filters.every((f) => f.keep(s)))
        .map((s) => s.id)
        .sort();
      expect(await everyId(filters.flatMap((f) => f.params)), combo.join(' + ')).toEqual(expected);
    }
  });

  it('filters by time and pages with a total', async () => {
    const from = start + 30 * 60_000;
    const to = start + 90 * 60_000;
    const expected = SPECS.filter((s) => s.minute >= 30 && s.minute < 90).map((s) => s.id);
    const page1 = await list([
      ['from', String(from)],
      ['to', new Date(to).toISOString()],
      ['size', '5'],
      ['sort', 'oldest'],
    ]);
    expect(page1.total).toBe(expected.length);
    expect(page1.rows.map((r) => r.contactId)).toEqual(expected.slice(0, 5));
    const page2 = await list([
      ['from', String(from)],
      ['to', String(to)],
      ['size', '5'],
      ['sort', 'oldest'],
      ['page', '2'],
    ]);
    expect(page2.rows.map((r) => r.contactId)).toEqual(expected.slice(5, 10));
    const beyond = await list([
      ['from', String(from)],
      ['to', String(to)],
      ['size', '5'],
      ['page', '99'],
    ]);
    expect(beyond).toMatchObject({ total: expected.length, rows: [] });
  });

  it('searches words among the filtered contacts only', async () => {
    const furious = SPECS.filter((s) => s.mood === 'negative');
    const got = await list([
      ['q', 'furious'],
      ['channel', 'chat'],
      ['size', '200'],
    ]);
    expect(got.segments).toBe(got.total);
    expect(got.rows.length).toBeGreaterThan(0);
    for (const row of got.rows) {
      expect(row.channel).toBe('chat');
      expect(row.hit!.snippet.text.toLowerCase()).toContain('furious');
    }
    const chatNegative = furious.filter((s) => s.channel === 'chat').map((s) => s.id);
    expect([...new Set(got.rows.map((r) => r.contactId))].every((id) => chatNegative.includes(id))).toBe(true);
    const zh = await list([
      ['q', '投诉'],
      ['size', '200'],
    ]);
    expect(zh.rows.every((r) => r.hit!.snippet.text.includes('投诉'))).toBe(true);
    expect(zh.rows.length).toBeGreaterThan(0);
  });

  it('exports the list as CSV with the same rows', async () => {
    const params: [string, string][] = [
      ['handler', 'hybrid'],
      ['sort', 'oldest'],
    ];
    const res = await server.get(`/api/qa/contacts.csv?${new URLSearchParams(params)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="tandem-qa-\d{4}-\d\d-\d\d\.csv"/);
    const text = await res.text();
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 4)).toEqual(['contact_id', 'start', 'channel', 'handler']);
    const hybrid = SPECS.filter((s) => s.bot === 'escalated');
    expect(lines.length - 1).toBe(hybrid.length);
    const col = (name: string) => header.indexOf(name);
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',');
      const s = hybrid[i]!;
      expect(cells[col('contact_id')]).toBe(s.id);
      expect(cells[col('handler')]).toBe('hybrid');
      expect(cells[col('escalation_reason')]).toBe(s.reason);
      expect(cells[col('csat')]).toBe(s.csat === null ? '' : String(s.csat));
      expect(cells[col('flags')]).toBe(flagsOf(s).join('; '));
    });
  });

  it('tells one contact whole: lanes, handoff, phases, survey', async () => {
    const s = SPECS.find((x) => x.bot === 'escalated' && x.answered && x.holdSec === 180 && x.csat !== null)!;
    const res = await server.get(`/api/qa/contacts/${s.id}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as QaContactView;
    expect(view.contact.contactId).toBe(s.id);
    expect(view.customerId).toBe(`cu-${s.id}`);
    expect(view.segments.map((g) => g.speaker)).toEqual(['customer', 'bot', 'agent', 'customer']);
    expect(view.segments.every((g) => g.sentimentSource === 'lexicon')).toBe(true);
    expect(view.handoff).toMatchObject({ reason: s.reason, intent: 'billing_question', botId: 'helper' });
    expect(view.phases.map((p) => p.kind)).toEqual(['bot', 'queue', 'agent', 'hold', 'wrapup']);
    const hold = view.phases.find((p) => p.kind === 'hold')!;
    expect(hold.to! - hold.from).toBe(181_000);
    expect(view.survey?.csat).toBe(s.csat);
    expect(view.events.some((e) => e.type === 'transcript.segment')).toBe(false);
    expect((await server.get('/api/qa/contacts/nobody')).status).toBe(404);
  });

  it('imports whole conversations, redacted, once, and refuses a bad file whole', async () => {
    const file = {
      conversations: [
        {
          contactId: 'imp-1',
          startedAt: new Date(start).toISOString(),
          segments: [
            { speaker: 'customer', text: 'My card is 4111 1111 1111 1111 and I am angry' },
            { speaker: 'agent', text: 'Thank you, fixed', agentId: 'a9', offsetMs: 5000 },
          ],
        },
      ],
    };
    const post = (body: unknown) =>
      fetch(`${server.url}/api/qa/import`, {
        method: 'POST',
        headers: { cookie: server.adminCookie, 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify(body),
      });
    const first = await post(file);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ conversations: 1, segments: 2, duplicates: 0 });
    expect(await (await post(file)).json()).toEqual({ conversations: 1, segments: 0, duplicates: 2 });
    const view = (await (await server.get('/api/qa/contacts/imp-1')).json()) as QaContactView;
    expect(view.segments.map((g) => g.text)).toEqual(['My card is [CARD] and I am angry', 'Thank you, fixed']);
    expect(view.segments[1]!.at - view.segments[0]!.at).toBe(5000);
    expect(view.redactions).toEqual({ CARD: 1 });

    const bad = await post({
      conversations: [
        {
          contactId: 'imp-2',
          startedAt: new Date(start).toISOString(),
          segments: [{ speaker: 'customer', text: 'ok' }],
        },
        { contactId: 'imp-3', startedAt: 'yesterday', segments: [{ speaker: 'robot', text: 'hi' }] },
      ],
    });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
    expect(paths).toContain('conversations.1.segments.0.speaker');
    expect((await server.get('/api/qa/contacts/imp-2')).status).toBe(404);
  });

  it('filters on QA scores: evaluated or not, and the mean score in a range', async () => {
    const send = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { cookie: server.adminCookie, 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify(body),
      });
    const card = await send('/api/qa/scorecards', {
      name: 'Filter test',
      sections: [{ title: 'All', questions: [{ id: 'q', text: 'Scale', kind: 'scale', scaleMax: 5, part: 'agent' }] }],
    });
    expect(card.status).toBe(201);
    const { scorecard } = (await card.json()) as { scorecard: { id: string } };
    // Scale answers 1..5 score 0, 25, 50, 75, 100.
    const scored = { c000: 1, c001: 3, c002: 5 } as Record<string, number>;
    for (const [contactId, value] of Object.entries(scored)) {
      const res = await send('/api/qa/evaluations', { scorecardId: scorecard.id, contactId, answers: { q: value } });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    expect(await everyId([['evaluated', 'yes']])).toEqual(['c000', 'c001', 'c002']);
    const all = await list([['size', '200']]);
    expect((await everyId([['evaluated', 'no']])).length).toBe(all.total - 3);
    expect(
      await everyId([
        ['qaMin', '20'],
        ['qaMax', '60'],
      ]),
    ).toEqual(['c001']);
    expect(await everyId([['qaMax', '0']])).toEqual(['c000']);
    const lowest = await list([
      ['evaluated', 'yes'],
      ['sort', 'qa_score'],
    ]);
    expect(lowest.rows.map((r) => [r.contactId, r.qaScore])).toEqual([
      ['c000', 0],
      ['c001', 50],
      ['c002', 100],
    ]);
  });

  it('shows a scoped reviewer only their queues, and names a bad filter', async () => {
    const qa = await signedIn(server.tandem, ['qa'], { scopeQueues: ['sales'] });
    const res = await fetch(`${server.url}/api/qa/contacts?size=200`, { headers: { cookie: qa.cookie } });
    const got = (await res.json()) as QaContactList;
    const sales = SPECS.filter((s) => humanPart(s) && s.queue === 'sales')
      .map((s) => s.id)
      .sort();
    expect(got.rows.map((r) => r.contactId).sort()).toEqual(sales);
    const other = SPECS.find((s) => humanPart(s) && s.queue === 'billing')!;
    expect((await fetch(`${server.url}/api/qa/contacts/${other.id}`, { headers: { cookie: qa.cookie } })).status).toBe(
      404,
    );
    const search = await fetch(`${server.url}/api/qa/search?q=furious&limit=200`, { headers: { cookie: qa.cookie } });
    const hits = (await search.json()) as { hits: { contactId: string }[] };
    expect(hits.hits.every((h) => sales.includes(h.contactId))).toBe(true);

    for (const [query, path] of [
      ['channel=fax', 'channel.0'],
      ['csatMin=9', 'csatMin'],
      ['flag=grumpy', 'flag.0'],
      ['from=someday', 'from'],
      ['colour=red', ''],
    ] as const) {
      const bad = await server.get(`/api/qa/contacts?${query}`);
      expect(bad.status, query).toBe(400);
      const details = ((await bad.json()) as { error: { details: { path: string; message: string }[] } }).error.details;
      expect(details[0]!.path, query).toBe(path || '(body)');
    }
  });

  it("finds a scoped reviewer's newest contact by its words before anything else has read it", async () => {
    const qa = await signedIn(server.tandem, ['qa'], { scopeQueues: ['sales'] });
    const at = Date.now() - 60_000;
    const res = await postEvents(server, [
      { id: 'fresh-1', type: 'contact.started', at, contactId: 'fresh', channel: 'chat' },
      { id: 'fresh-2', type: 'queue.entered', at: at + 1000, contactId: 'fresh', queue: 'sales' },
      {
        id: 'fresh-3',
        type: 'transcript.segment',
        at: at + 2000,
        contactId: 'fresh',
        speaker: 'customer',
        text: 'zebra',
      },
    ]);
    expect(res.status).toBe(202);
    const search = await fetch(`${server.url}/api/qa/search?q=zebra`, { headers: { cookie: qa.cookie } });
    expect(((await search.json()) as { hits: { contactId: string }[] }).hits.map((h) => h.contactId)).toEqual([
      'fresh',
    ]);
  });
});
