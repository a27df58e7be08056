import { describe, expect, it } from 'vitest';
import type { Me } from '$contract/auth.ts';
import { afterSignIn, homeFor, safeNext } from './next-path.ts';

const user = (capabilities: Extract<Me, { kind: 'user' }>['capabilities']): Me => ({
  kind: 'user',
  id: 'u1',
  username: 'ana',
  displayName: null,
  roles: [],
  capabilities,
  scope: null,
  sessionExpiresAt: 0,
});

describe('safeNext', () => {
  it('follows paths on this site, with their query', () => {
    expect(safeNext('/wall')).toBe('/wall');
    expect(safeNext('/admin/audit?action=user.')).toBe('/admin/audit?action=user.');
  });

  it('refuses anything a browser could read as another origin', () => {
    for (const next of [
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'https://evil.example/wall',
      'javascript:alert(1)',
      'wall',
      '',
      null,
      undefined,
    ]) {
      expect(safeNext(next), String(next)).toBeNull();
    }
  });

  it('never sends people back to the sign-in or setup page', () => {
    expect(safeNext('/login?next=/wall')).toBeNull();
    expect(safeNext('/setup?token=x')).toBeNull();
  });
});

describe('after sign-in', () => {
  it('goes where the roles are for when there is no usable next', () => {
    expect(homeFor(user(['live:read', 'admin']))).toBe('/admin');
    expect(homeFor(user(['live:read', 'kpi:read']))).toBe('/wall');
    expect(homeFor(user(['qa:read']))).toBe('/');
    expect(afterSignIn('//evil.example', user(['live:read']))).toBe('/wall');
    expect(afterSignIn('/admin/keys', user(['admin']))).toBe('/admin/keys');
  });
});
