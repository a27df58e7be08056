/**
 * What a platform adapter is: a pure function from a batch of the vendor's records to Tandem events,
 * plus the records it could not use and why. Adapters never throw on input and never touch storage;
 * the events they build go through the same ingest path (contract check, key scope) as any producer's.
 */
import type { TandemEvent } from '../contract/events.ts';
import type { AdapterIssue, AdapterIssueKind } from '../contract/ingest-adapters.ts';
import type { ParsedRecord } from './vendor-json.ts';
import type { Config } from '../config.ts';

/** One vendor record and its position in the batch. */
export type VendorRecord = { index: number; value: unknown };

/** Every mapped event names its platform in `source`, so ingest keys can be narrowed to a platform. */
export type MappedEvent = TandemEvent & { source: string };

export type AdapterOutput = {
  events: { event: MappedEvent; record: number }[];
  issues: AdapterIssue[];
  ignored: number;
};

export type PlatformAdapter = {
  /** The name in `/api/ingest/<platform>` and `tandem connect <platform>`. */
  platform: string;
  /** One line for help texts. */
  description: string;
  /**
   * Reads a request body or file into records. Absent: JSON as vendors deliver it (parseVendorRecords).
   * Platforms whose records are text (log lines, AMI messages) read their own format, and still take a
   * JSON array of records, which is what `tandem connect` posts.
   */
  read?(text: string): ParsedRecord[];
  /**
   * Maps a batch. Batches matter to some platforms: Amazon Connect contact records are kept newest
   * per contact within a batch, and Contact Lens offsets are placed on the contact's time.
   * `now` is the arrival time, for feeds that carry no event time of their own.
   */
  map(records: readonly VendorRecord[], now: number): AdapterOutput;
  /**
   * The vendor posts `application/x-www-form-urlencoded` bodies (one record per request), as Twilio's
   * webhooks do; JSON is still read for replays and tests.
   */
  formBodies?: boolean;
  /**
   * Checks that a request really comes from the vendor (a webhook signature) before anything is
   * read into storage: the reason it does not, or null. Only asked over HTTP.
   */
  verify?(request: VendorRequest, config: Config): string | null;
};

/** What a request-level check needs: the URL the vendor called, its headers, the body as sent. */
export type VendorRequest = {
  /**
   * The URL the vendor called, as the server can tell it: from the request (X-Forwarded-Proto and
   * -Host behind a trusted proxy), and under TANDEM_PUBLIC_URL when set.
   */
  urls: readonly string[];
  header(name: string): string | undefined;
  body: string;
  /** The form parameters when the body is form-encoded, in order. */
  form: readonly [string, string][] | null;
};

/** Collects an adapter's output; `source` is stamped on every event. */
export class Collector {
  readonly out: AdapterOutput = { events: [], issues: [], ignored: 0 };
  constructor(private readonly source: string) {}

  emit(record: number, event: TandemEvent): void {
    this.out.events.push({ event: { ...event, source: this.source }, record });
  }
  issue(record: number, kind: AdapterIssueKind, reason: string): void {
    this.out.issues.push({ record, kind, reason });
  }
  ignore(): void {
    this.out.ignored++;
  }
}
