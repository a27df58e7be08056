import { describe, expect, it } from 'vitest';
import { emptyCounters } from '../contract/kpis.ts';
import { handlerCost, savings } from './handler-costs.ts';

const settings = { currency: 'USD', botSessionCost: 0.4, agentHourCost: 36 };

describe('handler costs', () => {
  it('price bot sessions and handle time, per contact', () => {
    // 10 contacts, 12 bot sessions, 50 minutes of handle time: 4.80 + 30.00.
    const c = { ...emptyCounters(), contacts: 10, botSessions: 12, handleMs: 50 * 60_000 };
    expect(handlerCost(c, settings)).toEqual({
      contacts: 10,
      botSessions: 12,
      handleHours: 0.83,
      cost: 34.8,
      costPerContact: 3.48,
    });
    expect(handlerCost(emptyCounters(), settings).costPerContact).toBeNull();
  });

  it('save the difference per AI-only contact, unknown without both to compare', () => {
    const ai = handlerCost({ ...emptyCounters(), contacts: 300, botSessions: 300 }, settings); // 0.40 each
    const human = handlerCost({ ...emptyCounters(), contacts: 3, handleMs: 3 * 600_000 }, settings); // 6.00 each
    const hybrid = handlerCost(emptyCounters(), settings);
    expect(savings({ ai, hybrid, human })).toBe(1680); // 300 × 5.60
    expect(savings({ ai, hybrid, human: hybrid })).toBeNull();
  });
});
