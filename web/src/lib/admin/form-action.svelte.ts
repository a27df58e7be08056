/**
 * One form's submit: busy while it runs, the server's field errors by field, and a message for the
 * rest. Pages hold one per form and render `fields[name]` next to each input.
 */
import { formErrors } from '$lib/api/api.ts';
import { tick } from 'svelte';

export class FormAction {
  busy = $state(false);
  fields = $state<Record<string, string>>({});
  error = $state<string | null>(null);

  constructor(private readonly fieldNames: readonly string[] = []) {}

  /** Runs `fn`; true when it succeeded. A form with several actions names each one's fields. */
  async run(fn: () => Promise<void>, fieldNames: readonly string[] = this.fieldNames): Promise<boolean> {
    this.busy = true;
    this.fields = {};
    this.error = null;
    try {
      await fn();
      return true;
    } catch (err) {
      ({ fields: this.fields, message: this.error } = formErrors(err, fieldNames));
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** After a failed submit of a long form: the first marked field gets the focus, wherever it is. */
export async function focusFirstError(form: HTMLFormElement | null): Promise<void> {
  await tick();
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
