import { describe, expect, it } from 'vitest';
import { defaultDbMemoryLimit, loadConfig } from './config.ts';

describe('configuration', () => {
  it('runs embedded, with the demo, when no NATS URL is given', () => {
    const c = loadConfig({});
    expect(c.nats).toBeNull();
    expect(c.demo).toBe(true);
  });

  it('makes a node of a scale-out with a NATS URL: demo off unless asked for', () => {
    const c = loadConfig({ TANDEM_NATS_URL: 'nats://10.0.0.5:4222, nats://10.0.0.6:4222' });
    expect(c.nats).toEqual({
      url: 'nats://10.0.0.5:4222, nats://10.0.0.6:4222',
      stream: 'TANDEM',
      maxAgeDays: 7,
      duplicateWindowSeconds: 600,
      replicas: 1,
    });
    expect(c.demo).toBe(false);
    expect(loadConfig({ TANDEM_NATS_URL: 'nats://n:4222', TANDEM_DEMO: '1' }).demo).toBe(true);
  });

  it('names the variable and the reason when a NATS setting is wrong', () => {
    expect(() => loadConfig({ TANDEM_NATS_URL: 'http://n:4222' })).toThrow(
      /TANDEM_NATS_URL: must be nats:\/\/host:port/,
    );
    expect(() => loadConfig({ TANDEM_NATS_URL: 'nats://n:4222', TANDEM_NATS_STREAM: 'a.b' })).toThrow(
      /TANDEM_NATS_STREAM: must be 1-64 letters/,
    );
    expect(() => loadConfig({ TANDEM_NATS_REPLICAS: '7' })).toThrow(/TANDEM_NATS_REPLICAS/);
  });

  it("bounds DuckDB's memory at a quarter of the machine unless told, and checks the size", () => {
    expect(loadConfig({ TANDEM_DB_MEMORY_LIMIT: '512MB' }).dbMemoryLimit).toBe('512MB');
    expect(defaultDbMemoryLimit(24 * 2 ** 30)).toBe('6GB');
    expect(defaultDbMemoryLimit(2 * 2 ** 30)).toBe('1GB');
    expect(() => loadConfig({ TANDEM_DB_MEMORY_LIMIT: 'lots' })).toThrow(/TANDEM_DB_MEMORY_LIMIT: must be a size/);
  });
});
