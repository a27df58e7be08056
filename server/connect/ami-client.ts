/**
 * A long-running AMI client: logs in to an Asterisk Manager Interface over TCP, cuts the stream into
 * messages, stamps each event with its arrival time when Asterisk sends none (`timestampevents` off),
 * and hands the events on in small batches. It reconnects with backoff after any failure and never
 * throws on what the server sends.
 */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AmiFramer } from '../adapters/asterisk/ami-protocol.ts';

export type AmiEventHeaders = Record<string, string>;

export type AmiClientOptions = {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** Receives each batch; when it fails the batch is kept and offered again with the next one. */
  onEvents(events: AmiEventHeaders[]): Promise<void>;
  log(message: string): void;
  signal: AbortSignal;
  batchMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
};

/** Events held while the receiver fails: past this the oldest are dropped (and said so). */
const MAX_PENDING = 50_000;

const LOGIN_TIMEOUT_MS = 10_000;

const safeHeader = (v: string) => !/[\r\n]/.test(v);

/** Runs until the signal aborts. */
export async function runAmiClient(o: AmiClientOptions): Promise<void> {
  if (![o.username, o.secret].every(safeHeader)) throw new Error('username and secret must be single lines');
  const now = o.now ?? Date.now;
  const pending: AmiEventHeaders[] = [];
  let flushing = false;
  const flush = async () => {
    if (flushing || pending.length === 0) return;
    flushing = true;
    const batch = pending.splice(0, pending.length);
    try {
      await o.onEvents(batch);
    } catch (err) {
      pending.unshift(...batch);
      if (pending.length > MAX_PENDING) {
        o.log(`dropping ${pending.length - MAX_PENDING} events: the receiver keeps failing`);
        pending.splice(0, pending.length - MAX_PENDING);
      }
      o.log(`could not hand on ${batch.length} events: ${(err as Error).message}`);
    } finally {
      flushing = false;
    }
  };
  const timer = setInterval(() => void flush(), o.batchMs ?? 250);
  let backoff = o.minBackoffMs ?? 1000;
  try {
    while (!o.signal.aborted) {
      const loggedIn = await session(o, now, (e) => pending.push(e));
      if (o.signal.aborted) break;
      if (loggedIn) backoff = o.minBackoffMs ?? 1000;
      o.log(`AMI connection to ${o.host}:${o.port} closed; reconnecting in ${backoff} ms`);
      await sleep(backoff, undefined, { signal: o.signal }).catch(() => undefined);
      backoff = Math.min(backoff * 2, o.maxBackoffMs ?? 30_000);
    }
  } finally {
    clearInterval(timer);
    await flush();
  }
}

/** One connection, until it closes; resolves whether the login was accepted. */
function session(o: AmiClientOptions, now: () => number, push: (e: AmiEventHeaders) => void): Promise<boolean> {
  return new Promise((resolve) => {
    let state: 'banner' | 'login' | 'events' = 'banner';
    let loggedIn = false;
    let head = '';
    const framer = new AmiFramer();
    const socket: Socket = connect({ host: o.host, port: o.port });
    socket.setEncoding('utf8');
    socket.setKeepAlive(true, 30_000);
    // A host that accepts and says nothing (or a firewall that drops) must not hold the client forever.
    socket.setTimeout(LOGIN_TIMEOUT_MS, () => {
      if (!loggedIn) {
        o.log(`AMI ${o.host}:${o.port}: no login within ${LOGIN_TIMEOUT_MS} ms`);
        socket.destroy();
      }
    });
    const end = () => {
      o.signal.removeEventListener('abort', abort);
      resolve(loggedIn);
    };
    const abort = () => socket.destroy();
    o.signal.addEventListener('abort', abort, { once: true });
    socket.on('error', (err) => o.log(`AMI ${o.host}:${o.port}: ${err.message}`));
    socket.on('close', end);
    socket.on('data', (chunk: string) => {
      try {
        if (state === 'banner') {
          // The banner is one line, not a message: it has no blank line after it.
          head += chunk;
          const eol = head.indexOf('\n');
          if (eol === -1) {
            if (head.length > 1024) socket.destroy();
            return;
          }
          const banner = head.slice(0, eol).replace(/\r$/, '');
          chunk = head.slice(eol + 1);
          if (!/^Asterisk Call Manager/i.test(banner)) {
            o.log(`unexpected AMI banner ${JSON.stringify(banner.slice(0, 60))}`);
          }
          state = 'login';
          socket.write(
            `Action: Login\r\nActionID: tandem-login\r\nUsername: ${o.username}\r\nSecret: ${o.secret}\r\nEvents: on\r\n\r\n`,
          );
        }
        for (const m of framer.push(chunk)) {
          if (!m.ok) {
            o.log(`skipped an AMI message: ${m.reason}`);
            continue;
          }
          const h = m.value;
          if (state === 'login') {
            if (h.Response === undefined) continue;
            if (h.Response.toLowerCase() !== 'success') {
              o.log(`AMI login refused: ${h.Message ?? h.Response}`);
              socket.destroy();
              return;
            }
            state = 'events';
            loggedIn = true;
            socket.setTimeout(0);
            o.log(`logged in to AMI at ${o.host}:${o.port}`);
            continue;
          }
          if (h.Event === undefined) continue;
          if (h.Timestamp === undefined) h.Timestamp = (now() / 1000).toFixed(6);
          push(h);
        }
      } catch (err) {
        // The framer does not throw; this guards the connection against a bug, not against input.
        o.log(`AMI stream error: ${(err as Error).message}`);
        socket.destroy();
      }
    });
  });
}
