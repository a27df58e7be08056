/**
 * First-contact resolution, live: a contact with a customerId is "repeated" when the same customer
 * starts another contact within the horizon after it (ordered by start time, then contact id).
 * Whether a contact repeated depends only on the contact right after it, so an arrival changes at
 * most itself and the one before it; each change is reported as a counter delta at the affected
 * contact's start time, like the engine's other pairings.
 */
import type { KpiCounters } from '../contract/kpis.ts';

type Entry = { contactId: string; at: number; repeated: boolean };
export type CounterDelta = (at: number, delta: Partial<KpiCounters>) => void;

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.contactId < b.contactId);

export class RepeatContacts {
  #byCustomer = new Map<string, Entry[]>();
  #byContact = new Map<string, { customer: string; entry: Entry }>();

  constructor(
    private readonly horizonMs: number,
    private readonly emit: CounterDelta,
  ) {}

  /** A contact's (earliest) start: with the customer, or without one (then it leaves FCR). */
  started(contactId: string, customer: string | undefined, at: number): void {
    const known = this.#byContact.get(contactId);
    if (known && known.customer === customer && known.entry.at === at) return;
    if (known) this.#remove(contactId);
    if (customer === undefined) return;
    let list = this.#byCustomer.get(customer);
    if (!list) this.#byCustomer.set(customer, (list = []));
    const entry: Entry = { contactId, at, repeated: false };
    let i = list.length;
    while (i > 0 && before(entry, list[i - 1]!)) i--;
    list.splice(i, 0, entry);
    this.#byContact.set(contactId, { customer, entry });
    this.emit(at, { fcrContacts: 1 });
    this.#settle(list, i);
    this.#settle(list, i - 1);
  }

  #remove(contactId: string): void {
    const known = this.#byContact.get(contactId)!;
    this.#byContact.delete(contactId);
    const list = this.#byCustomer.get(known.customer)!;
    const i = list.indexOf(known.entry);
    list.splice(i, 1);
    this.emit(known.entry.at, { fcrContacts: -1, fcrRepeated: known.entry.repeated ? -1 : 0 });
    if (list.length === 0) this.#byCustomer.delete(known.customer);
    else this.#settle(list, i - 1);
  }

  /** Brings entry i's repeated flag in line with its successor. */
  #settle(list: Entry[], i: number): void {
    const entry = list[i];
    if (!entry) return;
    const next = list[i + 1];
    const repeated = next !== undefined && next.at - entry.at <= this.horizonMs;
    if (repeated === entry.repeated) return;
    entry.repeated = repeated;
    this.emit(entry.at, { fcrRepeated: repeated ? 1 : -1 });
  }

  /** Forgets contacts started before `beforeMs`: their minutes are no longer kept either. */
  prune(beforeMs: number): void {
    for (const [customer, list] of this.#byCustomer) {
      let drop = 0;
      while (drop < list.length && list[drop]!.at < beforeMs) this.#byContact.delete(list[drop++]!.contactId);
      if (drop === list.length) this.#byCustomer.delete(customer);
      else if (drop > 0) list.splice(0, drop);
    }
  }
}
