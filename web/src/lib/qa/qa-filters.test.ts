import { describe, expect, it } from 'vitest';
import { isReviewQueue, readFilters, REVIEW_FILTERS, searchHref, splitList, writeFilters } from './qa-filters.ts';

describe('QA filters in the address', () => {
  it('round-trips every kind of filter, in one canonical order', () => {
    const query =
      'q=%22charged+twice%22&speaker=customer&from=2026-11-01&to=2026-11-24&queue=billing&queue=sales%2C+east' +
      '&channel=chat&handler=hybrid&handler=ai&agent=a1&botOutcome=escalated&reason=low_confidence&csatMin=1' +
      '&csatMax=2&npsMax=6&sentiment=negative&converted=no&disposition=refund&qaMin=10&qaMax=70&evaluated=yes' +
      '&flag=long_hold&sort=csat&page=3&size=50';
    const { filters, dropped } = readFilters(new URLSearchParams(query));
    expect(dropped).toEqual([]);
    expect(filters.queue).toEqual(['billing', 'sales, east']);
    expect(filters.handler).toEqual(['hybrid', 'ai']);
    expect(writeFilters(filters).toString()).toBe(query);
    // Any order in, the same address out.
    const shuffled = new URLSearchParams([...new URLSearchParams(query)].reverse());
    expect(writeFilters(readFilters(shuffled).filters).getAll('handler')).toEqual(['ai', 'hybrid']);
    expect(
      writeFilters(readFilters(shuffled).filters)
        .toString()
        .split('&')
        .map((p) => p.split('=')[0]),
    ).toEqual(query.split('&').map((p) => p.split('=')[0]));
  });

  it('drops what is not valid, key by key, and names it', () => {
    const { filters, dropped } = readFilters(
      new URLSearchParams('channel=fax&csatMin=9&queue=billing&colour=red&flag=low_csat&flag=grumpy&from=soon'),
    );
    expect(filters).toEqual({ queue: ['billing'] });
    expect(dropped.sort()).toEqual(['channel', 'colour', 'csatMin', 'flag', 'from']);
  });

  it('leaves out empty values and the first page', () => {
    expect(writeFilters({ q: [''], queue: [' ', 'a', 'a'], page: ['1'] }).toString()).toBe('queue=a');
    expect(readFilters(new URLSearchParams('q=&page=1')).filters).toEqual({ page: ['1'] });
  });

  it('knows the review queue preset', () => {
    expect(isReviewQueue(REVIEW_FILTERS)).toBe(true);
    expect(isReviewQueue({ ...REVIEW_FILTERS, page: ['2'] })).toBe(true);
    expect(isReviewQueue({ ...REVIEW_FILTERS, channel: ['chat'] })).toBe(false);
    expect(isReviewQueue({ flag: ['low_csat'], evaluated: ['no'] })).toBe(false);
  });

  it('splits lists written with English or Chinese commas', () => {
    expect(splitList('billing, sales，东区、 west ')).toEqual(['billing', 'sales', '东区', 'west']);
  });
});

describe('drill-down links', () => {
  it('open the search with the filters set', () => {
    expect(searchHref({ agent: ['a 1'], from: ['2026-11-01'], to: ['2026-11-07'] })).toBe(
      '/qa?from=2026-11-01&to=2026-11-07&agent=a+1',
    );
    expect(searchHref({})).toBe('/qa');
  });
});
