/**
 * Each queue's figures with a status each (the queue table's cells and the queue tiles), and the worst of
 * them for a tile's frame, so a queue in trouble stands out from across the room before anyone reads a number.
 */
import type { LiveSnapshot, QueueLive } from '$contract/live.ts';
import { statusOf, targetsOf, type Status } from './thresholds.ts';

export type QueueStatus = QueueLive & {
  longest: number | null;
  slTarget: number | null;
  slStatus: Status;
  waitStatus: Status;
  asaStatus: Status;
  abandonStatus: Status;
  /** Fewer agents logged in than Erlang C asks for now. */
  staffStatus: Status;
  worst: Status;
};

const RANK: Record<Status, number> = { none: 0, good: 1, near: 2, warn: 3, bad: 4 };

export function worstOf(statuses: readonly Status[]): Status {
  return statuses.reduce<Status>((w, s) => (RANK[s] > RANK[w] ? s : w), 'none');
}

export function queueStatuses(
  queues: readonly QueueLive[],
  targets: LiveSnapshot['targets'],
  serverNow: number,
): QueueStatus[] {
  return queues.map((q) => {
    const own = targetsOf(targets, q.queue);
    const longest = q.oldestEnteredAt === null ? null : Math.max(0, (serverNow - q.oldestEnteredAt) / 1000);
    const slStatus = statusOf(q.serviceLevel, own.serviceLevel, 'serviceLevel');
    const waitStatus = q.waiting > 0 ? statusOf(longest, own.longestWaitSeconds, 'longestWaitSeconds') : 'none';
    const asaStatus = statusOf(q.asaSeconds, own.asaSeconds, 'asaSeconds');
    const abandonStatus = statusOf(q.abandonRate, own.abandonRate, 'abandonRate');
    const staffStatus: Status = q.agentsNeeded === null ? 'none' : q.agentsStaffed >= q.agentsNeeded ? 'good' : 'warn';
    return {
      ...q,
      longest,
      slTarget: own.serviceLevel?.target ?? null,
      slStatus,
      waitStatus,
      asaStatus,
      abandonStatus,
      staffStatus,
      // Staffing short of the estimate is a hint, not a breach: it never colours the frame alone.
      worst: worstOf([slStatus, waitStatus, asaStatus, abandonStatus]),
    };
  });
}

/**
 * How many columns make the largest tiles for `n` tiles in a box: near a tile's natural shape (wider than
 * tall), and never one lonely tile on a row of its own when a more even split fits.
 */
export function tileColumns(n: number, width: number, height: number, aspect = 1.5): number {
  if (n <= 1 || width <= 0 || height <= 0) return 1;
  let best = 1;
  let bestSize = 0;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    // The tile's usable size is limited by its width or its height at the natural aspect.
    const size = Math.min(width / cols, (height / rows) * aspect);
    if (size > bestSize * 1.001) {
      best = cols;
      bestSize = size;
    }
  }
  return best;
}
