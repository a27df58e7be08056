import { describe, expect, it } from 'vitest';
import { tileColumns } from './queue-tiles.ts';

describe('tileColumns', () => {
  it('splits five tiles three and two in a wide box rather than four and one', () => {
    expect(tileColumns(5, 1390, 720)).toBe(3);
  });
  it('puts a few tiles side by side in a wide, short strip', () => {
    expect(tileColumns(4, 1800, 250)).toBe(4);
  });
  it('stacks them in a tall narrow column', () => {
    expect(tileColumns(3, 400, 1000)).toBe(1);
  });
  it('has one column for one tile or an unmeasured box', () => {
    expect(tileColumns(1, 1000, 500)).toBe(1);
    expect(tileColumns(6, 0, 0)).toBe(1);
  });
});

import { queueStatuses } from './queue-tiles.ts';

describe('queueStatuses', () => {
  const queue = {
    queue: 'sales',
    waiting: 2,
    oldestEnteredAt: 1_000,
    escalatedWaiting: 0,
    agentsStaffed: 3,
    agentsAvailable: 0,
    agentsOnContact: 3,
    agentsNeeded: 5,
    offered: 10,
    answered: 9,
    abandoned: 1,
    serviceLevel: 0.9,
    asaSeconds: 12,
    abandonRate: 0.1,
    ahtSeconds: 200,
  };
  const targets = {
    defaults: { serviceLevel: { target: 0.8, warn: 0.7, alert: 0.6 } },
    queues: { sales: { longestWaitSeconds: { target: 30, warn: 60, alert: 120 } } },
  };

  it("frames a tile by its worst figure, on the queue's own targets over the defaults", () => {
    const [tile] = queueStatuses([queue], targets, 1_000 + 150_000);
    expect(tile).toMatchObject({ longest: 150, slStatus: 'good', waitStatus: 'bad', worst: 'bad', slTarget: 0.8 });
  });

  it('marks short staffing without letting it colour the frame alone', () => {
    const [tile] = queueStatuses([{ ...queue, waiting: 0, oldestEnteredAt: null }], targets, 5_000);
    expect(tile).toMatchObject({ staffStatus: 'warn', waitStatus: 'none', worst: 'good' });
  });
});
