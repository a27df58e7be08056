/**
 * Follows a growing log file (`tail -F`): new complete lines every interval, across rotation (the path
 * names a new file: the old one is read to its end first) and truncation (read again from the start).
 * The offset lives only in memory; a restart reads the file from the start, and the feed's event ids
 * make what was already stored a duplicate.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export type TailOptions = {
  path: string;
  /** Receives each interval's new lines; the next read waits for it. */
  onLines(lines: string[]): Promise<void>;
  onError?(err: Error): void;
  signal: AbortSignal;
  intervalMs?: number;
};

const CHUNK = 1024 * 1024;

export async function tailFile(o: TailOptions): Promise<void> {
  let fh: FileHandle | null = null;
  let ino = -1;
  let offset = 0;
  // Bytes after the last newline: a line being written, or a character cut by the read.
  let rest = Buffer.alloc(0);

  const readToEnd = async (size: number): Promise<string[]> => {
    const lines: string[] = [];
    while (fh && offset < size) {
      const buf = Buffer.alloc(Math.min(CHUNK, size - offset));
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      const data = Buffer.concat([rest, buf.subarray(0, bytesRead)]);
      const last = data.lastIndexOf(0x0a);
      if (last === -1) {
        rest = data;
        continue;
      }
      lines.push(...data.subarray(0, last).toString('utf8').split(/\r?\n/));
      rest = Buffer.from(data.subarray(last + 1));
    }
    return lines.filter((l) => l.trim() !== '');
  };

  try {
    while (!o.signal.aborted) {
      try {
        const st = await stat(o.path).catch(() => null);
        let lines: string[] = [];
        if (st && fh && st.ino !== ino) {
          // Rotated: finish the old file, then start the new one from its beginning.
          lines = await readToEnd((await fh.stat()).size);
          await fh.close();
          fh = null;
        }
        if (st && !fh) {
          fh = await open(o.path, 'r');
          ino = st.ino;
          offset = 0;
          rest = Buffer.alloc(0);
        }
        if (st && fh) {
          if (st.size < offset) {
            // Truncated in place (copytruncate): what is there now is new.
            offset = 0;
            rest = Buffer.alloc(0);
          }
          lines.push(...(await readToEnd(st.size)));
        }
        if (lines.length) await o.onLines(lines);
      } catch (err) {
        o.onError?.(err as Error);
      }
      await sleep(o.intervalMs ?? 250, undefined, { signal: o.signal }).catch(() => undefined);
    }
  } finally {
    await fh?.close();
  }
}
