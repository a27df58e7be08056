import { describe, expect, it } from 'vitest';
import type { TandemEvent } from '../contract/events.ts';
import { keyPermit } from './key-scope.ts';
import type { KeyPrincipal } from './principal.ts';

const key = (sources: string[] | null, queues: string[] | null): KeyPrincipal => ({
  kind: 'key',
  id: 'k',
  name: 'k',
  sources: sources && new Set(sources),
  queues: queues && new Set(queues),
});
const ev = (e: Record<string, unknown>) => ({ id: 'e', at: 0, ...e }) as unknown as TandemEvent;

describe('keyPermit', () => {
  it('lets an unscoped key send anything', () => {
    expect(keyPermit(key(null, null))).toBeUndefined();
  });

  it('requires a listed source when the key names sources', () => {
    const permit = keyPermit(key(['pbx'], null))!;
    expect(permit(ev({ type: 'contact.started', source: 'pbx' }))).toBeNull();
    expect(permit(ev({ type: 'contact.started' }))).toEqual([
      { path: 'source', message: 'this ingest key only sends sources: pbx' },
    ]);
  });

  it('checks queue events and agent queue lists against the key queues', () => {
    const permit = keyPermit(key(null, ['sales']))!;
    expect(permit(ev({ type: 'queue.entered', queue: 'sales' }))).toBeNull();
    expect(permit(ev({ type: 'queue.left', queue: 'billing' }))![0]!.path).toBe('queue');
    expect(permit(ev({ type: 'agent.state', queues: ['sales', 'vip'] }))).toEqual([
      { path: 'queues', message: "outside this ingest key's queues: vip" },
    ]);
    expect(permit(ev({ type: 'contact.ended' }))).toBeNull();
  });
});
