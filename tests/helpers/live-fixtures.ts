/** Small, valid live-contract values for tests on either side of the websocket. */
import { computeKpis, emptyCounters } from '../../server/contract/kpis.ts';
import type { LiveSnapshot, QueueLive, SourceKpis } from '../../server/contract/live.ts';

export function queueLive(queue: string, waiting: number): QueueLive {
  return {
    queue,
    waiting,
    oldestEnteredAt: null,
    escalatedWaiting: 0,
    agentsStaffed: 0,
    agentsAvailable: 0,
    agentsOnContact: 0,
    agentsNeeded: null,
    offered: 0,
    answered: 0,
    abandoned: 0,
    serviceLevel: null,
    asaSeconds: null,
    abandonRate: null,
    ahtSeconds: null,
  };
}

export function sourceKpis(overrides: Partial<SourceKpis> = {}): SourceKpis {
  return { offered: 0, answered: 0, abandoned: 0, serviceLevel: null, asaSeconds: null, ...overrides };
}

export function liveSnapshot(overrides: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return {
    now: 1,
    timeZone: 'UTC',
    dayStart: 0,
    demo: false,
    settings: { slThresholdSeconds: 20, shortAbandonSeconds: 5, slVariant: 'exits' },
    targets: { defaults: {}, queues: {} },
    today: computeKpis(emptyCounters()),
    rolling15: computeKpis(emptyCounters()),
    queues: [],
    agents: [],
    agentCounts: {},
    bots: { active: 0, escalatedWaiting: 0, oldestEscalatedAt: null },
    handlerSeries: [],
    bySource: { escalated: sourceKpis(), direct: sourceKpis() },
    slSeries: [],
    ...overrides,
  };
}
