import { describe, expect, it } from 'vitest';
import { RULES, statusOf } from './thresholds.ts';

describe('statusOf', () => {
  it('rates higher-is-better metrics', () => {
    expect(statusOf(0.85, RULES.serviceLevel)).toBe('good');
    expect(statusOf(0.75, RULES.serviceLevel)).toBe('warn');
    expect(statusOf(0.5, RULES.serviceLevel)).toBe('bad');
  });
  it('rates lower-is-better metrics', () => {
    expect(statusOf(10, RULES.longestWaitSeconds)).toBe('good');
    expect(statusOf(45, RULES.longestWaitSeconds)).toBe('warn');
    expect(statusOf(120, RULES.longestWaitSeconds)).toBe('bad');
  });
  it('has no status without data', () => {
    expect(statusOf(null, RULES.serviceLevel)).toBe('none');
  });
});
