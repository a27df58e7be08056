/**
 * Cost and value per handler (docs/executive.md, COST_FORMULAS): bot sessions at the cost per bot
 * session, handle time at the cost per agent hour. Handle time is talk, hold and wrap-up from answer to
 * wrap-up completed, the AHT numerator, so the price of people is the time they spent on those contacts;
 * idle staffed time is not spread over contacts (it is not caused by any one of them).
 */
import type { CostSettings, HandlerCost, HandlerKey } from '../contract/executive.ts';
import type { KpiCounters } from '../contract/kpis.ts';

/** Money to the cent (a summary is read, not summed again). */
const cents = (v: number): number => Math.round(v * 100) / 100;

export function handlerCost(c: KpiCounters, s: CostSettings): HandlerCost {
  const handleHours = c.handleMs / 3_600_000;
  const cost = c.botSessions * s.botSessionCost + handleHours * s.agentHourCost;
  return {
    contacts: c.contacts,
    botSessions: c.botSessions,
    handleHours: Math.round(handleHours * 100) / 100,
    cost: cents(cost),
    costPerContact: c.contacts > 0 ? cents(cost / c.contacts) : null,
  };
}

/**
 * What the bot saved: its AI-only contacts, each at the difference between a human-only contact's cost
 * and its own. Unknown (null) without both kinds of contact to price.
 */
export function savings(costs: Record<HandlerKey, HandlerCost>): number | null {
  const ai = costs.ai;
  const human = costs.human;
  if (ai.costPerContact === null || human.costPerContact === null) return null;
  // From the unrounded costs, so that the savings do not carry the per-contact rounding N times.
  const perHuman = human.cost / human.contacts;
  const perAi = ai.cost / ai.contacts;
  return cents(ai.contacts * (perHuman - perAi));
}
