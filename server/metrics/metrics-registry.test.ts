import { describe, expect, it } from 'vitest';
import { Registry } from './metrics-registry.ts';

describe('metrics registry (Prometheus text format 0.0.4)', () => {
  it('writes counters, gauges and cumulative histogram buckets with HELP and TYPE', async () => {
    const r = new Registry();
    const c = r.counter('t_events_total', 'Events.');
    c.inc({ via: 'http', outcome: 'accepted' }, 3);
    c.inc({ outcome: 'accepted', via: 'http' });
    r.gauge('t_clients', 'Clients.').set(2);
    const h = r.histogram('t_seconds', 'Durations.', [0.1, 1]);
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    expect(await r.render()).toBe(
      [
        '# HELP t_events_total Events.',
        '# TYPE t_events_total counter',
        't_events_total{via="http",outcome="accepted"} 4',
        '# HELP t_clients Clients.',
        '# TYPE t_clients gauge',
        't_clients 2',
        '# HELP t_seconds Durations.',
        '# TYPE t_seconds histogram',
        't_seconds_bucket{le="0.1"} 1',
        't_seconds_bucket{le="1"} 2',
        't_seconds_bucket{le="+Inf"} 3',
        't_seconds_sum 5.55',
        't_seconds_count 3',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and help text, and writes NaN', async () => {
    const r = new Registry();
    r.counter('t_total', 'Line one\nback\\slash').inc({ route: 'a"b\\c\nd' });
    r.gauge('t_lag', 'Lag.').set(NaN);
    const text = await r.render();
    expect(text).toContain('# HELP t_total Line one\\nback\\\\slash');
    expect(text).toContain('t_total{route="a\\"b\\\\c\\nd"} 1');
    expect(text).toContain('t_lag NaN');
  });

  it('writes an untouched counter as 0, runs collectors before each scrape, refuses duplicates', async () => {
    const r = new Registry();
    r.counter('t_none_total', 'Nothing yet.');
    const g = r.gauge('t_now', 'Set at scrape.');
    let n = 0;
    r.onCollect(() => g.set(++n));
    expect(await r.render()).toContain('t_none_total 0');
    expect(await r.render()).toContain('t_now 2');
    expect(() => r.gauge('t_now', 'again')).toThrow(/twice/);
    expect(() => r.gauge('bad-name', 'x')).toThrow(/invalid/);
  });
});
