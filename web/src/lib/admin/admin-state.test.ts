import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api/api.ts';
import { FormAction } from './form-action.svelte.ts';
import { RemoteList } from './remote-list.svelte.ts';

describe('FormAction', () => {
  it('is busy while it runs and clears the last errors', async () => {
    const form = new FormAction(['name']);
    form.reject([{ path: 'name', message: 'must not be empty' }]);
    expect(form.fields).toEqual({ name: 'must not be empty' });
    let release!: () => void;
    const running = form.run(() => new Promise<void>((r) => (release = r)));
    expect(form.busy).toBe(true);
    expect(form.error).toBeNull();
    expect(form.fields).toEqual({});
    release();
    expect(await running).toBe(true);
    expect(form.busy).toBe(false);
  });

  it("puts the server's field errors next to their fields and the rest in one line", async () => {
    const form = new FormAction(['name', 'scopeQueues']);
    const ok = await form.run(async () => {
      throw new ApiError(400, 'bad_request', 'invalid request', [
        { path: 'name', message: 'must not be empty' },
        { path: 'board', message: 'unknown board' },
      ]);
    });
    expect(ok).toBe(false);
    expect(form.fields).toEqual({ name: 'must not be empty' });
    expect(form.error).toBe('board: unknown board');
    expect(form.busy).toBe(false);
  });
});

describe('RemoteList', () => {
  it('keeps the last items and reports a failed reload', async () => {
    let fail = false;
    const list = new RemoteList(async () => {
      if (fail) throw new Error('server unreachable');
      return [1, 2];
    });
    expect(list.items).toBeNull();
    await list.refresh();
    expect(list.items).toEqual([1, 2]);
    fail = true;
    await list.refresh();
    expect(list.items).toEqual([1, 2]);
    expect(list.failure).toEqual(new Error('server unreachable'));
  });
});
