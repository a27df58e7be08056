/** A list an admin page shows: loaded from the API, reloaded after each change, with the load error if any. */
import { messageOf } from '$lib/api/api.ts';

export class RemoteList<T> {
  items = $state<T[] | null>(null);
  error = $state<string | null>(null);

  constructor(private readonly load: () => Promise<T[]>) {}

  async refresh(): Promise<void> {
    try {
      this.items = await this.load();
      this.error = null;
    } catch (err) {
      this.error = messageOf(err);
    }
  }
}
