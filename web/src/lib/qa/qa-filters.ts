/**
 * The QA search's state lives in the address: the query string IS the API's query (GET /api/qa/contacts
 * takes the same keys, checked by the same schema), so a link shares a search and the back button undoes
 * a filter. Reading the address keeps what is valid and drops the rest, naming it.
 */
import { contactFilters, FLAG_RULES, REVIEW_FLAGS } from '$contract/qa.ts';

export type FilterKey = keyof typeof contactFilters.shape;
/** The keys in the order the address writes them. */
export const FILTER_KEYS = Object.keys(contactFilters.shape) as FilterKey[];
/** Keys that take several values (?queue=a&queue=b). */
export const LIST_KEYS = new Set<FilterKey>([
  'queue',
  'channel',
  'handler',
  'agent',
  'bot',
  'botOutcome',
  'reason',
  'segment',
  'sentiment',
  'disposition',
  'flag',
]);
/** Keys the page itself uses (the language), which are not filters. */
const PAGE_KEYS = new Set(['lang']);
export type RawFilters = Partial<Record<FilterKey, string[]>>;

/** What the address asks for, each key checked on its own: a bad value drops that key, not the search. */
export function readFilters(params: URLSearchParams): { filters: RawFilters; dropped: string[] } {
  const filters: RawFilters = {};
  const dropped: string[] = [];
  for (const key of new Set(params.keys())) {
    if (PAGE_KEYS.has(key)) continue;
    if (!(FILTER_KEYS as string[]).includes(key)) {
      dropped.push(key);
      continue;
    }
    const k = key as FilterKey;
    const values = params.getAll(k).filter((v) => v.trim() !== '');
    if (values.length === 0) continue;
    const schema = contactFilters.shape[k];
    const ok = schema.safeParse(LIST_KEYS.has(k) ? values : values[0]).success;
    if (ok) filters[k] = LIST_KEYS.has(k) ? [...new Set(values)] : [values[0]!];
    else dropped.push(key);
  }
  return { filters, dropped };
}

/** The address for these filters: keys in one order, empty ones left out, the first page implied. */
export function writeFilters(filters: RawFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const values = (filters[key] ?? []).map((v) => v.trim()).filter((v) => v !== '');
    if (key === 'page' && values[0] === '1') continue;
    for (const v of LIST_KEYS.has(key) ? [...new Set(values)] : values.slice(0, 1)) params.append(key, v);
  }
  return params;
}

/** The review queue: every flag, nobody has evaluated it yet. */
export const REVIEW_FILTERS: RawFilters = { flag: [...REVIEW_FLAGS], evaluated: ['no'] };

export function isReviewQueue(filters: RawFilters): boolean {
  return (
    filters.evaluated?.[0] === 'no' &&
    REVIEW_FLAGS.every((f) => filters.flag?.includes(f)) &&
    FILTER_KEYS.every((k) => k === 'flag' || k === 'evaluated' || k === 'page' || k === 'sort' || !filters[k])
  );
}

/** The values that fill each flag's rule text (qa.flagRules.*). */
export const FLAG_RULE_VARS = {
  negative_end: { below: FLAG_RULES.negativeEndBelow },
  long_hold: { minutes: FLAG_RULES.longHoldMs / 60_000 },
  bot_loop: { repeats: FLAG_RULES.botLoopRepeats },
  late_escalation: { turns: FLAG_RULES.lateEscalationBotTurns },
  low_csat: { csat: FLAG_RULES.lowCsatAtMost },
  abandoned_after_handoff: {},
} as const;

/** A comma-separated text field's values ("billing, sales" → ["billing", "sales"]). */
export function splitList(text: string): string[] {
  return text
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The QA search with these filters set: how a chart elsewhere drills down into the contacts behind a bar
 * or a point (`searchHref({ agent: ['a1'], from: ['2026-11-01'] })`).
 */
export function searchHref(filters: RawFilters): string {
  const query = writeFilters(filters).toString();
  return query ? `/qa?${query}` : '/qa';
}
