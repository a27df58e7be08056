import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tailFile } from './file-tail.ts';

const dir = mkdtempSync(join(tmpdir(), 'tandem-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('tailFile', () => {
  it('reads what is there, then new lines, whole lines only, across truncation and rotation', async () => {
    const path = join(dir, 'queue_log');
    writeFileSync(path, 'a\nb\n');
    const batches: string[][] = [];
    const controller = new AbortController();
    const done = tailFile({
      path,
      intervalMs: 15,
      signal: controller.signal,
      onLines: async (l) => void batches.push(l),
    });
    const lines = () => batches.flat();
    await until(() => lines().length === 2);
    appendFileSync(path, 'c\npart');
    await until(() => lines().length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines()).toEqual(['a', 'b', 'c']);
    appendFileSync(path, 'ial ü\n');
    await until(() => lines().length === 4);
    expect(lines()[3]).toBe('partial ü');
    // copytruncate: the file starts again, shorter.
    writeFileSync(path, 'd\n');
    await until(() => lines().length === 5);
    // Rotation: a last line lands in the old file after the rename, then the new file starts.
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, 'e\n');
    writeFileSync(path, 'f\n');
    await until(() => lines().length === 7);
    controller.abort();
    await done;
    expect(lines()).toEqual(['a', 'b', 'c', 'partial ü', 'd', 'e', 'f']);
  });

  it('waits for a file that does not exist yet', async () => {
    const path = join(dir, 'later');
    const got: string[] = [];
    const controller = new AbortController();
    const done = tailFile({
      path,
      intervalMs: 15,
      signal: controller.signal,
      onLines: async (l) => void got.push(...l),
    });
    await new Promise((r) => setTimeout(r, 40));
    writeFileSync(path, 'x\n');
    await until(() => got.length === 1);
    controller.abort();
    await done;
  });
});
