import { describe, expect, it } from 'vitest';
import {
  averageSpeedOfAnswer,
  erlangB,
  erlangC,
  MAX_TRAFFIC_ERLANGS,
  requiredAgents,
  scheduledFor,
  serviceLevel,
  staffingRow,
  trafficIntensity,
  type StaffingInput,
} from './erlang-c.ts';

const base: StaffingInput = {
  calls: 100,
  intervalMinutes: 30,
  ahtSeconds: 180,
  targetSeconds: 20,
  serviceLevel: 0.8,
  shrinkage: 0,
};

/** The textbook form, with A^k/k! built up term by term; fine while the terms fit in a double. */
function textbookErlangC(n: number, a: number): number {
  let term = 1;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = term * (n / (n - a));
  return top / (sum + top);
}

/*
 * Call Centre Helper's worked example, https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm:
 * 100 calls in 30 minutes, AHT 180 s, 80% answered in 20 s, max occupancy 85%, shrinkage 30%.
 * Its figures as published by two independent implementations that reproduce the example:
 *  - pyworkforce, docs/guide/erlangc.md (https://github.com/rodrigo-arenas/pyworkforce):
 *    raw_positions 14, positions 20, service_level 0.8883500191794669, occupancy 0.7142857142857143,
 *    waiting_probability 0.1741319335950498;
 *  - the CRAN ErlangC package, https://rdocumentation.org/packages/ErlangC/versions/0.1.0:
 *    traffic_intensity 10, wait_probability 0.1741319, service_level 0.88835, average_speed_of_answer
 *    7.83593701177724 s, occupancy 0.7142857, agents 14; and 0.6821182 as the wait probability of the
 *    first step of its search (11 agents).
 */
describe('Call Centre Helper worked example (100 calls / 30 min, AHT 180 s, 80/20)', () => {
  it('has a traffic intensity of 10 Erlangs', () => {
    expect(trafficIntensity(100, 30, 180)).toBe(10);
  });

  it('needs 14 agents, 20 scheduled with 30% shrinkage, within 85% occupancy', () => {
    const r = requiredAgents({ ...base, shrinkage: 0.3, maxOccupancy: 0.85 });
    expect(r.trafficErlangs).toBe(10);
    expect(r.agents).toBe(14);
    expect(r.scheduledAgents).toBe(20);
    expect(r.input).toEqual({ ...base, shrinkage: 0.3, maxOccupancy: 0.85 });
  });

  it('gives the published figures for 14 agents', () => {
    const row = staffingRow(14, 10, 180, 20);
    expect(row.probabilityWaiting).toBeCloseTo(0.1741319335950498, 12);
    expect(row.serviceLevel).toBeCloseTo(0.8883500191794669, 12);
    expect(row.asaSeconds).toBeCloseTo(7.83593701177724, 10);
    expect(row.occupancy).toBeCloseTo(0.7142857142857143, 15);
  });

  it('gives the published wait probability for 11 agents', () => {
    expect(erlangC(11, 10)).toBeCloseTo(0.6821182, 7);
  });

  it('falls short of 80% with 13 agents, which is why the answer is 14', () => {
    const sl13 = serviceLevel(13, 10, 180, 20);
    expect(sl13).toBeLessThan(0.8);
    expect(sl13).toBeCloseTo(0.7956, 4);
  });

  it('tabulates 12 to 16 agents with improving figures', () => {
    const r = requiredAgents(base);
    expect(r.table.map((row) => row.agents)).toEqual([12, 13, 14, 15, 16]);
    for (let i = 1; i < r.table.length; i++) {
      const [prev, next] = [r.table[i - 1]!, r.table[i]!];
      expect(next.serviceLevel).toBeGreaterThan(prev.serviceLevel);
      expect(next.probabilityWaiting).toBeLessThan(prev.probabilityWaiting);
      expect(next.asaSeconds).toBeLessThan(prev.asaSeconds);
      expect(next.occupancy).toBeLessThan(prev.occupancy);
    }
    expect(r.table[2]).toEqual(staffingRow(14, 10, 180, 20));
  });
});

/*
 * Abstract Micro Systems, Erlang Library for Excel, ErlcWait4 help page,
 * http://abstractmicro.com/erlang/helppages/ref-erlcwait4.htm: average wait with 20 agents, a 1800 s
 * period and 100 calls is 2.243505841 s at AHT 240 s and 30.4312286 s at AHT 300 s.
 */
describe('Abstract Micro Systems ErlcWait4 examples (20 agents, 100 calls / 30 min)', () => {
  it('matches the average wait at AHT 240 s', () => {
    expect(averageSpeedOfAnswer(20, trafficIntensity(100, 30, 240), 240)).toBeCloseTo(2.243505841, 7);
  });
  it('matches the average wait at AHT 300 s', () => {
    expect(averageSpeedOfAnswer(20, trafficIntensity(100, 30, 300), 300)).toBeCloseTo(30.4312286, 5);
  });
});

/*
 * Jones the Net, "Erlang uplift", http://www.jonesthenet.com/budgeting/service-levels-erlang/erlang-uplift/:
 * an average hour of 250 calls at AHT 330 s is 22.9 advisors of pure workload, and Erlang needs 28
 * advisors to answer 80% of calls in 30 seconds.
 */
describe('Jones the Net "average hour" example (250 calls / hour, AHT 330 s, 80/30)', () => {
  it('needs 28 agents for 22.9 Erlangs', () => {
    const r = requiredAgents({ ...base, calls: 250, intervalMinutes: 60, ahtSeconds: 330, targetSeconds: 30 });
    expect(r.trafficErlangs).toBeCloseTo(22.9, 1);
    expect(r.agents).toBe(28);
    expect(serviceLevel(27, r.trafficErlangs, 330, 30)).toBeLessThan(0.8);
  });
});

describe('the Erlang B recursion', () => {
  it('agrees with the textbook Erlang C formula while that still fits in a double', () => {
    for (const a of [0.5, 3.7, 10, 42.5, 100]) {
      for (let n = Math.floor(a) + 1; n <= Math.floor(a) + 40; n++) {
        expect(erlangC(n, a) / textbookErlangC(n, a)).toBeCloseTo(1, 12);
      }
    }
  });

  it('gives the one-server values exactly', () => {
    // M/M/1: B = A / (1 + A) and C = A (the utilisation).
    expect(erlangB(1, 0.5)).toBeCloseTo(1 / 3, 15);
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 15);
  });
});

describe('large loads', () => {
  it('sizes 20,000 calls / 30 min at AHT 300 s (3,333 Erlangs) quickly and finitely', () => {
    const started = performance.now();
    const r = requiredAgents({ ...base, calls: 20_000, ahtSeconds: 300 });
    const elapsed = performance.now() - started;
    expect(r.trafficErlangs).toBeCloseTo(3333.33, 2);
    // Square-root staffing: the safety margin above the load grows like √A, a few dozen agents here.
    expect(r.agents).toBeGreaterThan(3334);
    expect(r.agents).toBeLessThan(3333 + 3 * Math.sqrt(3333));
    expect(r.table).toHaveLength(5);
    expect(r.table[2]!.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(r.table[1]!.serviceLevel).toBeLessThan(0.8);
    for (const row of r.table) {
      for (const v of Object.values(row)) expect(Number.isFinite(v)).toBe(true);
    }
    expect(elapsed).toBeLessThan(200);
  });

  it('keeps probabilities in [0, 1], finite, and service level rising with agents, for hundreds of agents', () => {
    for (const a of [250.5, 800, 3333.33]) {
      let prevSl = -1;
      let prevC = 2;
      for (let n = Math.floor(a) + 1; n <= a + 6 * Math.sqrt(a); n++) {
        const c = erlangC(n, a);
        const sl = serviceLevel(n, a, 300, 20);
        const asa = averageSpeedOfAnswer(n, a, 300);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
        expect(sl).toBeGreaterThanOrEqual(0);
        expect(sl).toBeLessThanOrEqual(1);
        expect(Number.isFinite(asa)).toBe(true);
        expect(c).toBeLessThanOrEqual(prevC);
        expect(sl).toBeGreaterThanOrEqual(prevSl);
        prevC = c;
        prevSl = sl;
      }
      expect(prevSl).toBeGreaterThan(0.99);
    }
  });

  it('handles the largest load the route accepts', () => {
    const calls = (MAX_TRAFFIC_ERLANGS * 30 * 60) / 180;
    const r = requiredAgents({ ...base, calls });
    expect(r.trafficErlangs).toBe(MAX_TRAFFIC_ERLANGS);
    expect(r.agents).toBeGreaterThan(MAX_TRAFFIC_ERLANGS);
    expect(r.agents).toBeLessThan(MAX_TRAFFIC_ERLANGS + 3 * Math.sqrt(MAX_TRAFFIC_ERLANGS));
    for (const row of r.table) expect(Number.isFinite(row.asaSeconds)).toBe(true);
  });
});

describe('edge cases', () => {
  it('needs nobody when no calls are forecast', () => {
    expect(requiredAgents({ ...base, calls: 0, shrinkage: 0.3, maxOccupancy: 0.85 })).toEqual({
      input: { ...base, calls: 0, shrinkage: 0.3, maxOccupancy: 0.85 },
      trafficErlangs: 0,
      agents: 0,
      scheduledAgents: 0,
      table: [],
    });
  });

  it('reports an overloaded queue as everyone waiting, nobody in target and an endless wait', () => {
    for (const n of [5, 10]) {
      expect(erlangC(n, 10)).toBe(1);
      expect(serviceLevel(n, 10, 180, 20)).toBe(0);
      expect(averageSpeedOfAnswer(n, 10, 180)).toBe(Infinity);
    }
  });

  it('lists only neighbours that can keep up with the load', () => {
    const r = requiredAgents({ ...base, serviceLevel: 0.3 });
    expect(r.agents).toBe(11);
    expect(r.table.map((row) => row.agents)).toEqual([11, 12, 13]);
  });

  it('adds agents to respect a maximum occupancy', () => {
    expect(requiredAgents({ ...base, serviceLevel: 0.5 }).agents).toBe(12);
    // 10 Erlangs at no more than 70% occupancy needs 10 / 0.7 = 14.3, so 15 agents.
    expect(requiredAgents({ ...base, serviceLevel: 0.5, maxOccupancy: 0.7 }).agents).toBe(15);
  });

  it('accepts an occupancy that sits exactly on the cap', () => {
    // 85 calls / hour at AHT 360 s is 8.5 Erlangs: 10 agents are exactly 85% occupied.
    const r = requiredAgents({ ...base, calls: 85, intervalMinutes: 60, ahtSeconds: 360, maxOccupancy: 0.85 });
    expect(r.trafficErlangs).toBe(8.5);
    expect(r.agents).toBe(12);
    const low = requiredAgents({ ...r.input, serviceLevel: 0.01 });
    expect(low.agents).toBe(10);
  });

  it('counts a zero-second target as answered at once: SL = 1 − P(wait)', () => {
    expect(serviceLevel(14, 10, 180, 0)).toBeCloseTo(1 - erlangC(14, 10), 15);
  });

  it('rounds scheduled agents up, but not past a quotient that is whole in decimal', () => {
    expect(scheduledFor(14, 0.3)).toBe(20);
    expect(scheduledFor(14, 0)).toBe(14);
    expect(scheduledFor(10, 0.25)).toBe(14);
    expect(scheduledFor(7, 0.3)).toBe(10);
    expect(scheduledFor(21, 0.3)).toBe(30);
    expect(scheduledFor(1, 0.9)).toBe(10);
  });

  it('refuses input that would make the search endless, as a guard behind the route', () => {
    expect(() => requiredAgents({ ...base, serviceLevel: 1 })).toThrow(RangeError);
    expect(() => requiredAgents({ ...base, calls: 1e9 })).toThrow(RangeError);
    expect(() => requiredAgents({ ...base, intervalMinutes: 0 })).toThrow(RangeError);
    expect(() => requiredAgents({ ...base, shrinkage: 1 })).toThrow(RangeError);
  });
});
