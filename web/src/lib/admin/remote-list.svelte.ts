/** A list an admin page shows: loaded from the API, reloaded after each change, with the load failure if any. */
export class RemoteList<T> {
  items = $state<T[] | null>(null);
  /** As thrown: the page words it in its language (i18n/problems.ts). */
  failure = $state<unknown>(null);

  constructor(private readonly load: () => Promise<T[]>) {}

  async refresh(): Promise<void> {
    try {
      this.items = await this.load();
      this.failure = null;
    } catch (err) {
      this.failure = err;
    }
  }
}
