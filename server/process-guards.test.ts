import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { installProcessGuards } from './process-guards.ts';

function setup() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const log = pino({ level: 'info' }, sink);
  const proc = Object.assign(new EventEmitter(), { exit: vi.fn() });
  installProcessGuards(log, proc as never);
  return { lines, proc };
}

describe('process guards', () => {
  it('logs an unhandled rejection as JSON and keeps running', () => {
    const { lines, proc } = setup();
    proc.emit('unhandledRejection', new Error('forgotten promise'), Promise.resolve());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'unhandled promise rejection',
      err: { message: 'forgotten promise' },
    });
    expect(proc.exit).not.toHaveBeenCalled();
  });

  it('logs an uncaught exception as fatal, then exits non-zero once', async () => {
    const { lines, proc } = setup();
    proc.emit('uncaughtException', new Error('boom'), 'uncaughtException');
    proc.emit('uncaughtException', new Error('again'), 'uncaughtException');
    await vi.waitFor(() => expect(proc.exit).toHaveBeenCalledWith(1));
    expect(proc.exit).toHaveBeenCalledTimes(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 60, msg: 'uncaught exception: exiting', err: { message: 'boom' } });
  });
});
