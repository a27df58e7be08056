/**
 * Erlang C staffing: how many agents an interval's forecast needs to meet a service level target.
 * Pure functions, no I/O; the route (server/http/routes/staffing.ts) validates the inputs.
 *
 * The model (M/M/N: Poisson arrivals, exponential handle times, one FIFO queue, nobody abandons):
 *
 *   A     = calls × AHT / interval                       offered load in Erlangs (same time unit)
 *   B(0)  = 1,  B(n) = A·B(n−1) / (n + A·B(n−1))          Erlang B, by recursion
 *   C     = N·B(N) / (N − A·(1 − B(N)))                   Erlang C: P(a call waits at all), for N > A
 *   SL(t) = 1 − C · e^(−(N − A)·t / AHT)                  P(wait ≤ t)
 *   ASA   = C · AHT / (N − A)                             mean wait over all calls
 *   occ   = A / N
 *   agents    = smallest N > A with SL(t) ≥ target and (if given) occ ≤ maxOccupancy
 *   scheduled = ceil(agents / (1 − shrinkage))
 *
 * The textbook form C = (A^N/N!)·(N/(N−A)) / (Σ_{k<N} A^k/k! + (A^N/N!)·(N/(N−A))) overflows a double
 * from about N = 170 (171! > 1.8e308); the Erlang B recursion only ever holds numbers in (0, 1], so it
 * stays accurate for thousands of agents, and C follows from B by the identity above.
 *
 * Checked against: the Call Centre Helper worked example
 * (https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm: 100 calls / 30 min, AHT 180 s,
 * 80% in 20 s → 10 Erlangs, 14 agents, 20 with 30% shrinkage) as reproduced with its figures by
 * pyworkforce (https://github.com/rodrigo-arenas/pyworkforce, docs/guide/erlangc.md) and the CRAN
 * ErlangC package (https://rdocumentation.org/packages/ErlangC/versions/0.1.0); the ErlcWait4 examples
 * of the Abstract Micro Systems Erlang library (http://abstractmicro.com/erlang/helppages/ref-erlcwait4.htm);
 * and the "average hour" example at http://www.jonesthenet.com/budgeting/service-levels-erlang/erlang-uplift/.
 * The numbers are in erlang-c.test.ts.
 */

/** One interval's forecast and the targets to staff it for. Times in seconds unless named otherwise. */
export type StaffingInput = {
  /** Calls offered in the interval. */
  calls: number;
  intervalMinutes: number;
  /** Average handle time: talk + hold + after-call work. */
  ahtSeconds: number;
  /** The "t" of "80% answered within t seconds". */
  targetSeconds: number;
  /** The target fraction answered within `targetSeconds`, 0 < x < 1 (0.8 means 80%). */
  serviceLevel: number;
  /** Fraction of paid time agents are unavailable (breaks, training, absence), 0 ≤ x < 1. */
  shrinkage: number;
  /** Cap on the fraction of time agents spend handling calls, 0 < x ≤ 1; no cap if absent or null. */
  maxOccupancy?: number | null;
};

/** Expected performance of a queue staffed with `agents`. */
export type StaffingRow = {
  agents: number;
  /** P(a call waits at all) = Erlang C. */
  probabilityWaiting: number;
  /** P(wait ≤ targetSeconds). */
  serviceLevel: number;
  /** Average speed of answer, over all calls including those answered at once. */
  asaSeconds: number;
  occupancy: number;
};

export type StaffingResult = {
  input: Required<StaffingInput>;
  trafficErlangs: number;
  /** Agents that must be on calls (before shrinkage). */
  agents: number;
  /** Agents to schedule so that `agents` are available after shrinkage. */
  scheduledAgents: number;
  /** `agents` and its neighbours (agents − 2 … agents + 2), only staffings that can keep up (N > A). */
  table: StaffingRow[];
};

/**
 * Loads above this are refused by the route. The search walks N upward once, so its cost is linear in
 * the answer; at this bound a request takes some 20 ms, and it is far above any single queue.
 */
export const MAX_TRAFFIC_ERLANGS = 100_000;

/** The method, as printed in the API response and docs/metrics.md. */
export const ERLANG_C_FORMULAS = {
  model: 'Erlang C (M/M/N): Poisson arrivals, exponential handle times, one FIFO queue, no abandonment',
  trafficErlangs: 'A = calls × ahtSeconds / (intervalMinutes × 60)',
  erlangB: 'B(0) = 1; B(n) = A·B(n−1) / (n + A·B(n−1))',
  probabilityWaiting: 'C = N·B(N) / (N − A·(1 − B(N))), for N > A',
  serviceLevel: 'SL = 1 − C·exp(−(N − A)·targetSeconds / ahtSeconds)',
  asaSeconds: 'ASA = C·ahtSeconds / (N − A)',
  occupancy: 'occupancy = A / N',
  agents: 'smallest N > A with SL ≥ serviceLevel and occupancy ≤ maxOccupancy (if given)',
  scheduledAgents: 'ceil(agents / (1 − shrinkage))',
} as const;

/** Offered load in Erlangs: the average number of calls in progress. */
export function trafficIntensity(calls: number, intervalMinutes: number, ahtSeconds: number): number {
  return (calls * ahtSeconds) / (intervalMinutes * 60);
}

/** Erlang B: the share of calls a loss system of `agents` servers would block. */
export function erlangB(agents: number, traffic: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) b = nextErlangB(b, n, traffic);
  return b;
}

function nextErlangB(previous: number, n: number, traffic: number): number {
  const x = traffic * previous;
  return x / (n + x);
}

function erlangCFromB(agents: number, traffic: number, b: number): number {
  if (traffic <= 0) return 0;
  // At or past N = A the queue grows without bound: every call waits.
  if (agents <= traffic) return 1;
  return (agents * b) / (agents - traffic * (1 - b));
}

/** Erlang C: the probability that a call has to wait; 1 when `agents` ≤ `traffic`. */
export function erlangC(agents: number, traffic: number): number {
  return erlangCFromB(agents, traffic, erlangB(agents, traffic));
}

/** P(wait ≤ targetSeconds); 0 when the agents cannot keep up. */
export function serviceLevel(agents: number, traffic: number, ahtSeconds: number, targetSeconds: number): number {
  return serviceLevelFromC(agents, traffic, ahtSeconds, targetSeconds, erlangC(agents, traffic));
}

function serviceLevelFromC(agents: number, traffic: number, aht: number, target: number, c: number): number {
  if (traffic <= 0) return 1;
  if (agents <= traffic) return 0;
  // Clamped because 1 − C·e^… can land a rounding error outside [0, 1].
  return Math.min(1, Math.max(0, 1 - c * Math.exp((-(agents - traffic) * target) / aht)));
}

/** Average speed of answer in seconds; Infinity when the agents cannot keep up. */
export function averageSpeedOfAnswer(agents: number, traffic: number, ahtSeconds: number): number {
  return asaFromC(agents, traffic, ahtSeconds, erlangC(agents, traffic));
}

function asaFromC(agents: number, traffic: number, aht: number, c: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) return Infinity;
  return (c * aht) / (agents - traffic);
}

/** Expected performance with `agents` on calls; the caller keeps agents > traffic (as the table does). */
export function staffingRow(agents: number, traffic: number, ahtSeconds: number, targetSeconds: number): StaffingRow {
  const c = erlangC(agents, traffic);
  return {
    agents,
    probabilityWaiting: c,
    serviceLevel: serviceLevelFromC(agents, traffic, ahtSeconds, targetSeconds, c),
    asaSeconds: asaFromC(agents, traffic, ahtSeconds, c),
    occupancy: agents > 0 ? traffic / agents : 0,
  };
}

/** The agents needed for the input's targets, the headcount to schedule for them, and the neighbourhood. */
export function requiredAgents(input: StaffingInput): StaffingResult {
  const echo: Required<StaffingInput> = { ...input, maxOccupancy: input.maxOccupancy ?? null };
  const traffic = trafficIntensity(input.calls, input.intervalMinutes, input.ahtSeconds);
  // The route rejects bad input with a message per field; these only stop a caller that skipped it from
  // hanging the event loop in a search that would never end (or end after billions of steps).
  if (!(traffic <= MAX_TRAFFIC_ERLANGS) || !Number.isFinite(input.targetSeconds))
    throw new RangeError(`requiredAgents: the load must be a finite number of Erlangs up to ${MAX_TRAFFIC_ERLANGS}`);
  if (!(input.serviceLevel < 1) || !(input.shrinkage < 1) || input.maxOccupancy === 0)
    throw new RangeError('requiredAgents: serviceLevel and shrinkage must be below 1, maxOccupancy above 0');
  if (traffic <= 0) return { input: echo, trafficErlangs: 0, agents: 0, scheduledAgents: 0, table: [] };

  // One upward pass: B(N) is carried over from N − 1, so the search costs O(answer), not O(answer²).
  let b = 1;
  let agents = 0;
  for (;;) {
    agents++;
    b = nextErlangB(b, agents, traffic);
    if (agents <= traffic) continue;
    const c = erlangCFromB(agents, traffic, b);
    const sl = serviceLevelFromC(agents, traffic, input.ahtSeconds, input.targetSeconds, c);
    if (sl >= input.serviceLevel && withinOccupancy(traffic, agents, input.maxOccupancy)) break;
  }

  const table: StaffingRow[] = [];
  for (let n = agents - 2; n <= agents + 2; n++) {
    if (n > traffic) table.push(staffingRow(n, traffic, input.ahtSeconds, input.targetSeconds));
  }
  return {
    input: echo,
    trafficErlangs: traffic,
    agents,
    scheduledAgents: scheduledFor(agents, input.shrinkage),
    table,
  };
}

function withinOccupancy(traffic: number, agents: number, maxOccupancy: number | null | undefined): boolean {
  if (maxOccupancy === undefined || maxOccupancy === null) return true;
  // The slack stops a load that sits exactly on the cap in decimal (8.5 Erlangs, 10 agents, 85%) from
  // being pushed to one more agent by binary rounding.
  return traffic / agents <= maxOccupancy + 1e-12;
}

/** Headcount to schedule so that `agents` remain after shrinkage. */
export function scheduledFor(agents: number, shrinkage: number): number {
  // The relative slack keeps a quotient that is an integer in decimal (say 14 / 0.7 = 20) from rounding
  // up to 21 when the division lands a hair above it in binary.
  return Math.ceil((agents / (1 - shrinkage)) * (1 - 1e-12));
}
