/**
 * What an ingest key may send. A key narrowed to sources only accepts events whose `source` field
 * names one of them; a key narrowed to queues only accepts queue events (and agent queue lists)
 * within them. Events outside the scope are rejected one by one, the rest of the batch is kept.
 */
import type { FieldError, TandemEvent } from '../contract/events.ts';
import type { EventPermit } from '../ingest/ingest.ts';
import type { KeyPrincipal } from './principal.ts';

export function keyPermit(key: KeyPrincipal): EventPermit | undefined {
  const { sources, queues } = key;
  if (!sources && !queues) return undefined;
  const list = (s: ReadonlySet<string>) => [...s].join(', ');
  return (event: TandemEvent) => {
    const errors: FieldError[] = [];
    if (sources) {
      const source = (event as { source?: unknown }).source;
      if (typeof source !== 'string' || !sources.has(source)) {
        errors.push({ path: 'source', message: `this ingest key only sends sources: ${list(sources)}` });
      }
    }
    if (queues) {
      if ('queue' in event && typeof event.queue === 'string' && !queues.has(event.queue)) {
        errors.push({ path: 'queue', message: `this ingest key only sends queues: ${list(queues)}` });
      }
      if (event.type === 'agent.state' && event.queues) {
        const outside = event.queues.filter((q) => !queues.has(q));
        if (outside.length) {
          errors.push({ path: 'queues', message: `outside this ingest key's queues: ${outside.join(', ')}` });
        }
      }
    }
    return errors.length ? errors : null;
  };
}
