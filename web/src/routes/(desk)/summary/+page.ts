import type { ExecutiveSummary } from '$contract/executive.ts';
import { api } from '$lib/api/api.ts';
import type { PageLoad } from './$types';

/**
 * The summary is asked for as the navigation starts, alongside the session check rather than after the
 * page has mounted: on a first load that is a round trip less before the figures. The page waits on it.
 */
export const load: PageLoad = ({ url }) => {
  const q = new URLSearchParams(url.searchParams);
  // The language is the page's, not the query's.
  q.delete('lang');
  const query = q.toString();
  const summary = api<ExecutiveSummary>(`/api/summary${query ? `?${query}` : ''}`);
  // Rejections are the page's to show; this keeps an unwatched one from being reported as unhandled.
  summary.catch(() => undefined);
  return { query, summary };
};
