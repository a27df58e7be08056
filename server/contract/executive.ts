/**
 * The executive summary's contract: the period an address asks for, the cost settings, and the
 * summary's shape. The server computes it (server/executive/), the page draws it (web/src/routes/(desk)/summary).
 */
import { z } from 'zod';
import type { Kpis, KpiCounters } from './kpis.ts';
import { timeBound } from './qa.ts';

export const PERIODS = ['today', 'yesterday', 'thisWeek', 'thisMonth', 'last7', 'last30', 'last90', 'custom'] as const;
export type Period = (typeof PERIODS)[number];
export const COMPARISONS = ['previous', 'lastYear', 'custom', 'none'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const HANDLER_KEYS = ['ai', 'hybrid', 'human'] as const;
export type HandlerKey = (typeof HANDLER_KEYS)[number];

/** A custom range is at most this many days: a trend of days stays readable, and the query bounded. */
export const MAX_CUSTOM_DAYS = 400;

/**
 * What the summary page's address and GET /api/summary share: a link is the query. `from`/`to` (with
 * `period=custom`) and `compareFrom`/`compareTo` (with `compare=custom`) are days in the contact center's
 * zone, both included, or instants (epoch ms): a pinned link gives all four as instants, so it shows the
 * very same figures whenever it is opened.
 */
export const summaryQuery = z
  .strictObject({
    period: z.enum(PERIODS).default('last7'),
    compare: z.enum(COMPARISONS).default('previous'),
    from: timeBound.optional(),
    to: timeBound.optional(),
    compareFrom: timeBound.optional(),
    compareTo: timeBound.optional(),
  })
  .refine((v) => v.period !== 'custom' || (v.from !== undefined && v.to !== undefined), {
    message: 'a custom period needs from and to',
    path: ['from'],
  })
  .refine((v) => v.compare !== 'custom' || (v.compareFrom !== undefined && v.compareTo !== undefined), {
    message: 'a custom comparison needs compareFrom and compareTo',
    path: ['compareFrom'],
  });
export type SummaryQuery = z.output<typeof summaryQuery>;

/** What contacts cost, set by an admin (Admin -> Costs): the summary prices each handler with it. */
export const costSettings = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD or CNY'),
  botSessionCost: z.number().min(0, 'must not be negative').max(1_000_000, 'at most 1,000,000'),
  agentHourCost: z.number().min(0, 'must not be negative').max(1_000_000, 'at most 1,000,000'),
});
export type CostSettings = z.infer<typeof costSettings>;
export type CostSettingsView = CostSettings & { updatedAt: number | null; updatedBy: string | null };
export const DEFAULT_COSTS: CostSettings = { currency: 'USD', botSessionCost: 0.5, agentHourCost: 30 };

/** Plain-language formulas of the cost figures, printed under them. */
export const COST_FORMULAS = {
  cost: 'bot sessions × cost per bot session + handle time (talk, hold, wrap-up) in hours × cost per agent hour',
  costPerContact: "a handler's cost / its contacts",
  savings: 'AI-only contacts × (cost per human-only contact − cost per AI-only contact)',
  salesPerContact: "a handler's sales / its contacts",
} as const;

/** A period as instants, and as the local days it covers (`lastDay` included; the last may be partial). */
export type Range = { from: string; to: string; fromMs: number; toMs: number; firstDay: string; lastDay: string };

/** Cost and value of one handler's contacts in a range. */
export type HandlerCost = {
  contacts: number;
  botSessions: number;
  handleHours: number;
  cost: number;
  costPerContact: number | null;
};

/** One group's figures: the KPIs as /api/kpis computes them from the same counters. */
export type SummaryGroup = { key: string | null; kpis: Kpis; counters: KpiCounters };

/** One period's figures. */
export type SummaryPeriod = {
  range: Range;
  totals: SummaryGroup;
  /** Per trend interval (hours for a day or two, else days), in order. */
  trend: (SummaryGroup & { start: string; end: string })[];
  byHandler: Record<HandlerKey, SummaryGroup & { cost: HandlerCost }>;
  /** Per segment (key null: contacts that name none), each split by handler. */
  bySegment: (SummaryGroup & { handlers: Record<HandlerKey, SummaryGroup> })[];
  byChannel: SummaryGroup[];
  /** Per escalation reason: how many were handed over, and the outcomes of those contacts. */
  byEscalation: SummaryGroup[];
  costs: { total: number; savings: number | null; currency: string };
};

/** A plain-language finding: its wording is the page's (per language), its numbers the server's. */
export type Finding =
  | {
      kind: 'change';
      metric: FindingMetric;
      now: number;
      before: number;
      /** now − before; rates in points, counts and money in their unit. */
      delta: number;
    }
  | {
      kind: 'handlerGap';
      metric: 'csat' | 'conversionRate' | 'fcr';
      best: HandlerKey;
      worst: HandlerKey;
      bestValue: number;
      worstValue: number;
    }
  | { kind: 'escalationCsat'; reason: string; csat: number; overall: number; escalations: number }
  | { kind: 'segmentGap'; segment: string; metric: 'csat'; human: number; ai: number }
  | { kind: 'savings'; savings: number; currency: string; contacts: number };

export const FINDING_METRICS = [
  'contacts',
  'containmentRate',
  'escalationRate',
  'csat',
  'nps',
  'fcr',
  'conversionRate',
  'serviceLevel',
  'ahtSeconds',
] as const;
export type FindingMetric = (typeof FINDING_METRICS)[number];

export type ComparisonPeriod = Pick<SummaryPeriod, 'range' | 'totals' | 'trend'>;

export type ExecutiveSummary = {
  query: { period: Period; compare: Comparison; from: string; to: string };
  timeZone: string;
  interval: '1h' | '1d';
  /** When it was computed: a "today" summary moves on. */
  asOf: string;
  current: SummaryPeriod;
  /**
   * The comparison period's totals and trend: what the cards' changes and the findings read. (Its splits
   * are not shown, and computing them would double what a summary costs.)
   */
  comparison: ComparisonPeriod | null;
  findings: Finding[];
  costSettings: CostSettings;
  definitions: Record<string, string>;
};
