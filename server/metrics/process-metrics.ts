/**
 * The process itself: memory, uptime and event-loop delay. Event-loop delay is what a wallboard feels
 * first when the server is overloaded (ticks and answers arrive late), so it is measured all the time
 * with perf_hooks' sampler and reported per scrape: each scrape reads, then resets, the distribution.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Registry } from './metrics-registry.ts';

export function processMetrics(registry: Registry, startedAt: number): { stop(): void } {
  const rss = registry.gauge('tandem_process_resident_memory_bytes', 'Resident set size of the server process.');
  const heapUsed = registry.gauge('tandem_process_heap_used_bytes', 'V8 heap in use.');
  const heapTotal = registry.gauge('tandem_process_heap_total_bytes', 'V8 heap reserved.');
  const uptime = registry.gauge('tandem_process_uptime_seconds', 'Seconds since the server started.');
  const delay = registry.gauge(
    'tandem_event_loop_delay_seconds',
    'Event-loop delay since the previous scrape: quantiles 0.5, 0.9, 0.99 and the maximum (quantile="1").',
  );
  const monitor = monitorEventLoopDelay({ resolution: 20 });
  monitor.enable();
  registry.onCollect(() => {
    const mem = process.memoryUsage();
    rss.set(mem.rss);
    heapUsed.set(mem.heapUsed);
    heapTotal.set(mem.heapTotal);
    uptime.set(Math.round((Date.now() - startedAt) / 1000));
    // The monitor counts nanoseconds.
    for (const q of [50, 90, 99]) delay.set(monitor.percentile(q) / 1e9, { quantile: String(q / 100) });
    delay.set(monitor.max / 1e9, { quantile: '1' });
    monitor.reset();
  });
  return { stop: () => monitor.disable() };
}
