/**
 * Green/amber/red from the targets an admin set (Admin → KPI definitions): a figure that meets its
 * target is good; past the warn level it is amber and past the alert level red; between the target
 * and the warn level it is "near", shown without a colour, so green always means on target. Every
 * status also has a word and an icon, so colour is never the only signal.
 */
import { TARGET_DIRECTIONS, type Target, type TargetKpi, type Targets } from '$contract/kpi-settings.ts';
import type { LiveSnapshot } from '$contract/live.ts';

export type Status = 'good' | 'near' | 'warn' | 'bad' | 'none';

export const STATUS_ICON: Record<Status, string> = { good: '●', near: '◐', warn: '▲', bad: '■', none: '○' };

/** How a value stands against a target, for a KPI where higher (or lower) is better. */
export function statusOf(value: number | null | undefined, target: Target | undefined, kpi: TargetKpi): Status {
  if (value === null || value === undefined || Number.isNaN(value) || !target) return 'none';
  // Turned so that higher is always better.
  const sign = TARGET_DIRECTIONS[kpi] === 'higher' ? 1 : -1;
  const v = sign * value;
  if (v <= sign * target.alert) return 'bad';
  if (v <= sign * target.warn) return 'warn';
  return v >= sign * target.target ? 'good' : 'near';
}

/** The targets in force for a queue (its own over the defaults), or the defaults for the whole center. */
export function targetsOf(targets: LiveSnapshot['targets'] | undefined, queue: string | null = null): Targets {
  if (!targets) return {};
  return { ...targets.defaults, ...(queue === null ? {} : targets.queues[queue]) };
}
