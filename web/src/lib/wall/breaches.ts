/**
 * What is in breach right now (past its alert level), for the banner that draws the eye: the
 * center's figures against the default targets, then each queue's against its own.
 */
import type { TargetKpi } from '$contract/kpi-settings.ts';
import type { LiveSnapshot } from '$contract/live.ts';
import { statusOf, targetsOf } from './thresholds.ts';

export type Breach = { queue: string | null; kpi: TargetKpi; value: number };

/** Longest waits are measured on the server's clock at `serverNow` (they grow between messages). */
export function breaches(snap: LiveSnapshot, serverNow: number): Breach[] {
  const out: Breach[] = [];
  const check = (queue: string | null, kpi: TargetKpi, value: number | null) => {
    if (value !== null && statusOf(value, targetsOf(snap.targets, queue)[kpi], kpi) === 'bad') {
      out.push({ queue, kpi, value });
    }
  };
  const waitOf = (oldest: number | null) => (oldest === null ? null : (serverNow - oldest) / 1000);
  for (const kpi of ['serviceLevel', 'asaSeconds', 'abandonRate', 'containmentRate', 'csat'] as const) {
    check(null, kpi, snap.today[kpi]);
  }
  for (const q of snap.queues) {
    check(q.queue, 'serviceLevel', q.serviceLevel);
    check(q.queue, 'asaSeconds', q.asaSeconds);
    check(q.queue, 'abandonRate', q.abandonRate);
    if (q.waiting > 0) check(q.queue, 'longestWaitSeconds', waitOf(q.oldestEnteredAt));
  }
  return out;
}

const SECONDS: readonly TargetKpi[] = ['asaSeconds', 'ahtSeconds', 'longestWaitSeconds'];

/** A breach's value as the banner and the alerts list print it: times as m:ss, NPS as a score, rates as %. */
export function breachValue(
  b: Breach,
  f: { duration(s: number): string; count(n: number): string; percent(x: number): string },
): string {
  return SECONDS.includes(b.kpi) ? f.duration(b.value) : b.kpi === 'nps' ? f.count(b.value) : f.percent(b.value);
}
