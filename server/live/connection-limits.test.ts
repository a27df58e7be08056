import { describe, expect, it } from 'vitest';
import { ConnectionLimits, type ConnectionSlot } from './connection-limits.ts';

function take(limits: ConnectionLimits, ip: string, principal: string | null): ConnectionSlot {
  const got = limits.acquire(ip, principal);
  if (!got.ok) throw new Error(`refused: ${got.reason}`);
  return got;
}

describe('ConnectionLimits', () => {
  it('refuses the socket past the per-address limit, whoever the principal is', () => {
    const limits = new ConnectionLimits({ maxPerIp: 2, maxPerPrincipal: 10 });
    take(limits, '10.0.0.1', 'key:a');
    take(limits, '10.0.0.1', 'key:b');
    expect(limits.acquire('10.0.0.1', 'key:c')).toEqual({ ok: false, reason: 'per_ip', limit: 2 });
    // Another address is counted on its own.
    expect(limits.acquire('10.0.0.2', 'key:c').ok).toBe(true);
  });

  it('refuses the socket past the per-principal limit, from any address', () => {
    const limits = new ConnectionLimits({ maxPerIp: 10, maxPerPrincipal: 2 });
    take(limits, '10.0.0.1', 'display:d1');
    take(limits, '10.0.0.2', 'display:d1');
    expect(limits.acquire('10.0.0.3', 'display:d1')).toEqual({ ok: false, reason: 'per_principal', limit: 2 });
    expect(limits.acquire('10.0.0.3', 'display:d2').ok).toBe(true);
  });

  it('does not count a refused socket against either limit', () => {
    const limits = new ConnectionLimits({ maxPerIp: 10, maxPerPrincipal: 1 });
    take(limits, '10.0.0.1', 'key:a');
    expect(limits.acquire('10.0.0.1', 'key:a').ok).toBe(false);
    expect(limits.openFor({ ip: '10.0.0.1' })).toBe(1);
  });

  it('frees the slot on release, once, however often the socket reports its end', () => {
    const limits = new ConnectionLimits({ maxPerIp: 2, maxPerPrincipal: 2 });
    const a = take(limits, '10.0.0.1', 'key:a');
    take(limits, '10.0.0.1', 'key:a');
    expect(limits.acquire('10.0.0.1', 'key:a').ok).toBe(false);
    a.release();
    a.release();
    expect(limits.openFor({ ip: '10.0.0.1' })).toBe(1);
    expect(limits.openFor({ principal: 'key:a' })).toBe(1);
    take(limits, '10.0.0.1', 'key:a');
    expect(limits.acquire('10.0.0.1', 'key:a').ok).toBe(false);
  });

  it('applies only the address limit when there is no principal', () => {
    const limits = new ConnectionLimits({ maxPerIp: 3, maxPerPrincipal: 1 });
    take(limits, '10.0.0.1', null);
    take(limits, '10.0.0.1', null);
    expect(limits.acquire('10.0.0.1', null).ok).toBe(true);
    expect(limits.acquire('10.0.0.1', null)).toMatchObject({ ok: false, reason: 'per_ip' });
  });

  it('forgets an address once its sockets are all closed', () => {
    const limits = new ConnectionLimits({ maxPerIp: 1, maxPerPrincipal: 1 });
    take(limits, '10.0.0.1', 'key:a').release();
    expect(limits.openFor({ ip: '10.0.0.1' })).toBe(0);
    expect(limits.openFor({ principal: 'key:a' })).toBe(0);
  });

  it('rejects a limit that is not a whole number of at least 1', () => {
    expect(() => new ConnectionLimits({ maxPerIp: 0, maxPerPrincipal: 1 })).toThrow(/maxPerIp/);
    expect(() => new ConnectionLimits({ maxPerIp: 1, maxPerPrincipal: 1.5 })).toThrow(/maxPerPrincipal/);
  });
});
