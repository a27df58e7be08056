/**
 * One form's submit: busy while it runs, the server's field errors by field, and a message for the
 * rest. Pages hold one per form and render `fields[name]` next to each input.
 *
 * The failure is kept as thrown and worded when read, so the messages follow a change of language
 * made while they are on screen.
 */
import { ApiError, formErrors, type FieldError, type Wording } from '$lib/api/api.ts';
import { tick } from 'svelte';

export class FormAction {
  busy = $state(false);
  readonly #fieldNames: readonly string[];
  readonly #wording: Wording | undefined;
  /** `marksOnly`: the browser's own check, whose field messages say it all without a line under the form. */
  #failure = $state<{ err: unknown; fieldNames: readonly string[]; marksOnly?: boolean } | null>(null);
  readonly #shown = $derived.by((): { fields: Record<string, string>; message: string | null } => {
    if (this.#failure === null) return { fields: {}, message: null };
    const shown = formErrors(this.#failure.err, this.#failure.fieldNames, this.#wording);
    return this.#failure.marksOnly ? { fields: shown.fields, message: null } : shown;
  });

  /**
   * @param fieldNames the fields the form shows errors next to
   * @param wording the page's language for the messages (i18n/problems.ts); without it, as sent
   */
  constructor(fieldNames: readonly string[] = [], wording?: Wording) {
    this.#fieldNames = fieldNames;
    this.#wording = wording;
  }

  get fields(): Record<string, string> {
    return this.#shown.fields;
  }

  get error(): string | null {
    return this.#shown.message;
  }

  /** Runs `fn`; true when it succeeded. A form with several actions names each one's fields. */
  async run(fn: () => Promise<void>, fieldNames: readonly string[] = this.#fieldNames): Promise<boolean> {
    this.busy = true;
    this.#failure = null;
    try {
      await fn();
      return true;
    } catch (err) {
      this.#failure = { err, fieldNames };
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Marks fields the browser found wrong before sending anything (e.g. a password typed twice differently). */
  reject(errors: FieldError[]): void {
    this.#failure = { err: invalidForm(errors), fieldNames: errors.map((e) => e.path), marksOnly: true };
  }

  clear(): void {
    this.#failure = null;
  }
}

/** The errors of a form the browser will not send, as the failure a FormAction shows field by field. */
export function invalidForm(errors: FieldError[]): ApiError {
  return new ApiError(400, 'invalid', 'Please correct the marked fields.', errors);
}

/** After a failed submit of a long form: the first marked field gets the focus, wherever it is. */
export async function focusFirstError(form: HTMLFormElement | null): Promise<void> {
  await tick();
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
