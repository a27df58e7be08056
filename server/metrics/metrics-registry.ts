/**
 * Counters, gauges and histograms, written out in the Prometheus text exposition format 0.0.4.
 *
 * Written here rather than taken from prom-client: Tandem needs three metric kinds, a dozen metrics and
 * no push gateway, summaries or exemplars, and the format is small and stable. prom-client keeps its
 * metrics in a process-wide default registry, which several Tandem instances in one process (the test
 * suite) would share; each Tandem here owns its registry, and no dependency is added.
 */

export type Labels = Readonly<Record<string, string>>;

type Series<V> = { labels: Labels; value: V };

/** Label values may hold anything: backslash, quote and newline are escaped as the format requires. */
function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function formatLabels(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels);
  if (extra) pairs.push(extra);
  if (pairs.length === 0) return '';
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

/** One key per distinct label set, independent of the order the labels were given in. */
function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

abstract class Metric<V> {
  protected series = new Map<string, Series<V>>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`invalid metric name: ${name}`);
  }
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  protected abstract samples(): string[];
  protected entry(labels: Labels, init: () => V): Series<V> {
    const key = keyOf(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, value: init() }));
    return s;
  }
  render(): string {
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`, ...this.samples()].join(
      '\n',
    );
  }
}

export class Counter extends Metric<number> {
  readonly type = 'counter';
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error('a counter only goes up');
    this.entry(labels, () => 0).value += by;
  }
  /** Mirrors a count kept elsewhere (the live hub's), which only grows. */
  mirror(total: number, labels: Labels = {}): void {
    this.entry(labels, () => 0).value = total;
  }
  get(labels: Labels = {}): number {
    return this.series.get(keyOf(labels))?.value ?? 0;
  }
  protected samples(): string[] {
    if (this.series.size === 0) return [`${this.name} 0`];
    return [...this.series.values()].map((s) => `${this.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
}

export class Gauge extends Metric<number> {
  readonly type = 'gauge';
  set(value: number, labels: Labels = {}): void {
    this.entry(labels, () => 0).value = value;
  }
  protected samples(): string[] {
    return [...this.series.values()].map((s) => `${this.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
}

type HistogramValue = { counts: number[]; sum: number; count: number };

export class Histogram extends Metric<HistogramValue> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];
  constructor(name: string, help: string, buckets: readonly number[]) {
    super(name, help);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  observe(value: number, labels: Labels = {}): void {
    const s = this.entry(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 })).value;
    // Each bucket counts observations up to its bound; they are summed into cumulative counts on output.
    const i = this.buckets.findIndex((le) => value <= le);
    if (i >= 0) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }
  /** Runs `fn` and records how long it took, in seconds, whether it resolved or threw. */
  async time<T>(labels: Labels, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.observe((performance.now() - start) / 1000, labels);
    }
  }
  protected samples(): string[] {
    const out: string[] = [];
    for (const { labels, value } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += value.counts[i]!;
        out.push(`${this.name}_bucket${formatLabels(labels, ['le', formatValue(le)])} ${cumulative}`);
      });
      out.push(`${this.name}_bucket${formatLabels(labels, ['le', '+Inf'])} ${value.count}`);
      out.push(`${this.name}_sum${formatLabels(labels)} ${formatValue(value.sum)}`);
      out.push(`${this.name}_count${formatLabels(labels)} ${value.count}`);
    }
    return out;
  }
}

/** The content type Prometheus expects for this format. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class Registry {
  #metrics = new Map<string, { render(): string }>();
  #collectors: (() => void | Promise<void>)[] = [];

  #add<M extends { name: string; render(): string }>(metric: M): M {
    if (this.#metrics.has(metric.name)) throw new Error(`metric registered twice: ${metric.name}`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }
  counter(name: string, help: string): Counter {
    return this.#add(new Counter(name, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.#add(new Gauge(name, help));
  }
  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.#add(new Histogram(name, help, buckets));
  }
  /** Runs before each scrape: sets gauges whose value is read from elsewhere (the hub, the database). */
  onCollect(fn: () => void | Promise<void>): void {
    this.#collectors.push(fn);
  }
  async render(): Promise<string> {
    for (const collect of this.#collectors) await collect();
    return [...this.#metrics.values()].map((m) => m.render()).join('\n') + '\n';
  }
}
