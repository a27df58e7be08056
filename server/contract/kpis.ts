/**
 * KPI definitions shared by the live engine, the SQL engine and the web app.
 * Both engines produce the same additive `KpiCounters`; `computeKpis` turns counters into rates,
 * so a live figure and a historical figure over the same events are the same number.
 */

/**
 * How service level is counted. Vendors disagree; Tandem names each way and lets an admin pick one
 * per queue. All count queue exits in the range (see computeKpis for why), except `entries`.
 */
export const SL_VARIANTS = ['exits', 'allExits', 'answeredOnly', 'anyExitWithin', 'entries'] as const;
export type SlVariant = (typeof SL_VARIANTS)[number];

export const SL_VARIANT_FORMULAS: Record<SlVariant, string> = {
  exits: 'answered within threshold / (answered + abandoned + transferred); short abandons left out (default)',
  allExits:
    'answered within threshold / (answered + abandoned + short abandoned + transferred): every abandon counts against',
  answeredOnly: 'answered within threshold / answered: abandons ignored',
  anyExitWithin: 'exits within threshold, any outcome / all exits (as Amazon Connect counts it)',
  entries: 'answered within threshold / (offered − short abandoned): per queue entry; can pass 100% at range edges',
};

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/**
 * Opening hours per local weekday as [open, close) pairs of "HH:MM" on quarter hours ("24:00" ends at
 * midnight); a day that is absent is closed. Absent altogether: open around the clock.
 */
export type BusinessHours = Partial<Record<Weekday, [string, string][]>>;

/** The settings one queue's figures are computed with. */
export type QueueKpiSettings = {
  /** When the queue is open; history can be limited to it (`hours=business`). */
  businessHours?: BusinessHours;
  /** Answered within this wait counts towards service level. */
  slThresholdSeconds: number;
  /** Abandons quicker than this are "short" and leave the denominators. */
  shortAbandonSeconds: number;
  slVariant: SlVariant;
};

/** Defaults for every queue, per-queue overrides, and the customer-level FCR horizon. */
export type KpiSettings = QueueKpiSettings & {
  /** The contact center's time zone: days, intervals and business hours are local to it. */
  timeZone?: string;
  /** A contact is not first-contact resolved if the customer starts another within this many days. */
  fcrHorizonDays?: number;
  queues?: Record<string, Partial<QueueKpiSettings>>;
};

export const DEFAULT_FCR_HORIZON_DAYS = 7;
export const DEFAULT_KPI_SETTINGS: KpiSettings = { slThresholdSeconds: 20, shortAbandonSeconds: 5, slVariant: 'exits' };

export function fcrHorizonMs(settings: KpiSettings): number {
  return (settings.fcrHorizonDays ?? DEFAULT_FCR_HORIZON_DAYS) * 86_400_000;
}

/** The settings that apply to a queue: its overrides over the defaults (`null`: the defaults). */
export function settingsFor(settings: KpiSettings, queue: string | null): QueueKpiSettings {
  const base: QueueKpiSettings = {
    slThresholdSeconds: settings.slThresholdSeconds,
    shortAbandonSeconds: settings.shortAbandonSeconds,
    slVariant: settings.slVariant,
    ...(settings.businessHours ? { businessHours: settings.businessHours } : {}),
  };
  const own = queue === null ? undefined : settings.queues?.[queue];
  return own ? { ...base, ...own } : base;
}

/** Additive counters: summing two ranges' counters gives the counters of their union. */
export type KpiCounters = {
  contacts: number;
  contactsAi: number;
  contactsHybrid: number;
  contactsHuman: number;
  offered: number;
  answered: number;
  /** Answered contacts whose queue entry is known, so their wait is known. */
  answeredWithWait: number;
  answeredWaitMs: number;
  answeredWithinThreshold: number;
  /** Queue exits of any outcome (short abandons included) whose wait was within the threshold. */
  exitsWithinThreshold: number;
  abandoned: number;
  shortAbandoned: number;
  transferred: number;
  handled: number;
  handleMs: number;
  botSessions: number;
  botContained: number;
  botEscalated: number;
  botAbandoned: number;
  escalationReasons: Record<string, number>;
  csatResponses: number;
  csatTop2: number;
  csatSum: number;
  npsResponses: number;
  npsPromoters: number;
  npsDetractors: number;
  resolvedResponses: number;
  resolvedYes: number;
  /** Contacts with a customerId, and those the customer followed with another within the horizon. */
  fcrContacts: number;
  fcrRepeated: number;
  conversions: number;
  sales: Record<string, number>;
  busyMs: number;
  availableMs: number;
};

export type NumericCounter = { [K in keyof KpiCounters]: KpiCounters[K] extends number ? K : never }[keyof KpiCounters];

export function emptyCounters(): KpiCounters {
  return {
    contacts: 0,
    contactsAi: 0,
    contactsHybrid: 0,
    contactsHuman: 0,
    offered: 0,
    answered: 0,
    answeredWithWait: 0,
    answeredWaitMs: 0,
    answeredWithinThreshold: 0,
    exitsWithinThreshold: 0,
    abandoned: 0,
    shortAbandoned: 0,
    transferred: 0,
    handled: 0,
    handleMs: 0,
    botSessions: 0,
    botContained: 0,
    botEscalated: 0,
    botAbandoned: 0,
    escalationReasons: {},
    csatResponses: 0,
    csatTop2: 0,
    csatSum: 0,
    npsResponses: 0,
    npsPromoters: 0,
    npsDetractors: 0,
    resolvedResponses: 0,
    resolvedYes: 0,
    fcrContacts: 0,
    fcrRepeated: 0,
    conversions: 0,
    sales: {},
    busyMs: 0,
    availableMs: 0,
  };
}

/**
 * Money is summed to 1/10,000 of the unit (ISO 4217 minor units have at most 4 decimals): plain
 * float sums depend on the order of addition, and the same events in another order must give the
 * same total to the last digit.
 */
export function addMoney(a: number, b: number): number {
  return Math.round((a + b) * 10_000) / 10_000;
}

/** Adds `b` into `a` times `sign` (use -1 to remove a contribution). */
export function addCounters(a: KpiCounters, b: Partial<KpiCounters>, sign = 1): KpiCounters {
  for (const key of Object.keys(b) as (keyof KpiCounters)[]) {
    const v = b[key];
    if (typeof v === 'number') {
      (a[key as NumericCounter] as number) += sign * v;
    } else if (v) {
      const into = a[key] as Record<string, number>;
      const money = key === 'sales';
      for (const [k, n] of Object.entries(v)) {
        const next = money ? addMoney(into[k] ?? 0, sign * n) : (into[k] ?? 0) + sign * n;
        if (next === 0) delete into[k];
        else into[k] = next;
      }
    }
  }
  return a;
}

export type Kpis = {
  contacts: number;
  contactsByHandler: { ai: number; hybrid: number; human: number };
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  transferred: number;
  answeredWithinThreshold: number;
  serviceLevel: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  abandonRate: number | null;
  occupancy: number | null;
  botSessions: number;
  botContained: number;
  botEscalated: number;
  botAbandoned: number;
  containmentRate: number | null;
  escalationRate: number | null;
  escalationReasons: Record<string, number>;
  csat: number | null;
  csatAverage: number | null;
  csatResponses: number;
  nps: number | null;
  npsResponses: number;
  surveyResolutionRate: number | null;
  fcr: number | null;
  fcrContacts: number;
  conversions: number;
  conversionRate: number | null;
  sales: Record<string, number>;
};

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** The counters service level reads, under any variant. */
export type ServiceLevelCounters = Pick<
  KpiCounters,
  | 'offered'
  | 'answered'
  | 'abandoned'
  | 'shortAbandoned'
  | 'transferred'
  | 'answeredWithinThreshold'
  | 'exitsWithinThreshold'
>;

export function emptyServiceLevelCounters(): ServiceLevelCounters {
  return {
    offered: 0,
    answered: 0,
    abandoned: 0,
    shortAbandoned: 0,
    transferred: 0,
    answeredWithinThreshold: 0,
    exitsWithinThreshold: 0,
  };
}

/**
 * Adds only the counters service level reads: a cheap sum where nothing else is needed. Spelled out
 * field by field, which is several times faster than a loop over key names.
 */
export function addServiceLevelCounters(
  into: ServiceLevelCounters,
  from: Readonly<ServiceLevelCounters>,
): ServiceLevelCounters {
  into.offered += from.offered;
  into.answered += from.answered;
  into.abandoned += from.abandoned;
  into.shortAbandoned += from.shortAbandoned;
  into.transferred += from.transferred;
  into.answeredWithinThreshold += from.answeredWithinThreshold;
  into.exitsWithinThreshold += from.exitsWithinThreshold;
  return into;
}

/** Service level under a variant: [met, out of]. */
function serviceLevelParts(c: ServiceLevelCounters, variant: SlVariant): [number, number] {
  const exits = c.answered + c.abandoned + c.transferred;
  switch (variant) {
    case 'allExits':
      return [c.answeredWithinThreshold, exits + c.shortAbandoned];
    case 'answeredOnly':
      return [c.answeredWithinThreshold, c.answered];
    case 'anyExitWithin':
      return [c.exitsWithinThreshold, exits + c.shortAbandoned];
    case 'entries':
      return [c.answeredWithinThreshold, c.offered - c.shortAbandoned];
    default:
      return [c.answeredWithinThreshold, exits];
  }
}

/** Service level under the settings' variant (see `SL_VARIANT_FORMULAS`); null with nothing to count. */
export function serviceLevelOf(c: ServiceLevelCounters, settings: Pick<QueueKpiSettings, 'slVariant'>): number | null {
  const [met, outOf] = serviceLevelParts(c, settings.slVariant);
  return ratio(met, outOf);
}

export function computeKpis(
  c: KpiCounters,
  settings: Pick<QueueKpiSettings, 'slVariant'> = DEFAULT_KPI_SETTINGS,
): Kpis {
  const botEnded = c.botContained + c.botEscalated + c.botAbandoned;
  // Both sides count queue exits in the range, so the rate can never pass 100%. (Dividing exits by
  // entries, "offered − short abandons", does: contacts queued before the range but answered in it.)
  const slDenominator = c.answered + c.abandoned + c.transferred;
  return {
    contacts: c.contacts,
    contactsByHandler: { ai: c.contactsAi, hybrid: c.contactsHybrid, human: c.contactsHuman },
    offered: c.offered,
    answered: c.answered,
    abandoned: c.abandoned,
    shortAbandoned: c.shortAbandoned,
    transferred: c.transferred,
    answeredWithinThreshold: c.answeredWithinThreshold,
    serviceLevel: serviceLevelOf(c, settings),
    asaSeconds: ratio(c.answeredWaitMs / 1000, c.answeredWithWait),
    ahtSeconds: ratio(c.handleMs / 1000, c.handled),
    abandonRate: ratio(c.abandoned, slDenominator),
    occupancy: ratio(c.busyMs, c.busyMs + c.availableMs),
    botSessions: c.botSessions,
    botContained: c.botContained,
    botEscalated: c.botEscalated,
    botAbandoned: c.botAbandoned,
    containmentRate: ratio(c.botContained, botEnded),
    escalationRate: ratio(c.botEscalated, botEnded),
    escalationReasons: { ...c.escalationReasons },
    csat: ratio(c.csatTop2, c.csatResponses),
    csatAverage: ratio(c.csatSum, c.csatResponses),
    csatResponses: c.csatResponses,
    nps: c.npsResponses > 0 ? ((c.npsPromoters - c.npsDetractors) / c.npsResponses) * 100 : null,
    npsResponses: c.npsResponses,
    surveyResolutionRate: ratio(c.resolvedYes, c.resolvedResponses),
    fcr: ratio(c.fcrContacts - c.fcrRepeated, c.fcrContacts),
    fcrContacts: c.fcrContacts,
    conversions: c.conversions,
    conversionRate: ratio(c.conversions, c.contacts),
    sales: Object.fromEntries(Object.entries(c.sales).map(([k, v]) => [k, Math.round(v * 10_000) / 10_000])),
  };
}

/** Plain-language formulas, shown beside the numbers so nobody argues about them. */
export const KPI_FORMULAS: Record<string, string> = {
  serviceLevel: 'answered within threshold / (answered + abandoned + transferred), short abandons excluded',
  asaSeconds: 'total wait of answered contacts / answered contacts',
  ahtSeconds: '(talk + hold + wrap-up) / handled contacts, from answer to wrap-up completed',
  abandonRate: 'abandoned / (answered + abandoned + transferred), short abandons excluded',
  occupancy: 'busy (on contact + wrap-up) / (busy + available) time',
  containmentRate: 'bot sessions contained / bot sessions ended',
  escalationRate: 'bot sessions escalated / bot sessions ended',
  csat: 'CSAT answers of 4 or 5 / CSAT answers',
  nps: '% promoters (9–10) − % detractors (0–6)',
  conversionRate: 'contacts with a conversion / contacts',
  fcr: 'contacts with a customerId that the same customer did not follow with another contact within the horizon (7 days) / contacts with a customerId',
};
