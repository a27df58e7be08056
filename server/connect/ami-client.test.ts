import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runAmiClient, type AmiEventHeaders } from './ami-client.ts';

const capture = readFileSync(
  new URL('../../tests/fixtures/vendors/asterisk/ami-queue-events.txt', import.meta.url),
  'utf8',
);
// The captured session after its login reply: what Asterisk streams once the login is accepted.
const stream = capture.slice(capture.indexOf('Event: '));

type Fake = { server: Server; port: number; logins: string[]; sockets: Socket[] };

/** A tiny AMI: banner, a Login answered per `accept`, then `send` writes the events in its own chunks. */
async function fakeAmi(accept: (n: number) => boolean, send: (s: Socket) => void): Promise<Fake> {
  const fake: Fake = { server: createServer(), port: 0, logins: [], sockets: [] };
  fake.server.on('connection', (s) => {
    fake.sockets.push(s);
    s.setEncoding('utf8');
    s.write('Asterisk Call Manager/9.0.0\r\n');
    let buf = '';
    s.on('data', (d: string) => {
      buf += d;
      const end = buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      const login = buf.slice(0, end);
      buf = buf.slice(end + 4);
      fake.logins.push(login);
      if (!accept(fake.logins.length)) {
        s.end('Response: Error\r\nActionID: tandem-login\r\nMessage: Authentication failed\r\n\r\n');
        return;
      }
      s.write('Response: Success\r\nActionID: tandem-login\r\nMessage: Authentication accepted\r\n\r\n');
      send(s);
    });
  });
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
  fake.port = (fake.server.address() as { port: number }).port;
  return fake;
}

let fake: Fake | undefined;
afterEach(async () => {
  for (const s of fake?.sockets ?? []) s.destroy();
  await new Promise((r) => fake?.server.close(r) ?? r(undefined));
  fake = undefined;
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('AMI client', () => {
  it('logs in, reads events split across TCP chunks, skips a malformed message, stamps missing times', async () => {
    fake = await fakeAmi(
      () => true,
      (s) => {
        const cut = stream.indexOf('Event: AgentConnect') + 10;
        s.write(stream.slice(0, cut));
        setTimeout(() => s.write(stream.slice(cut, cut + 3)), 20);
        setTimeout(() => s.write(stream.slice(cut + 3)), 40);
        setTimeout(
          () => s.write('this is not AMI\r\n\r\nEvent: QueueCallerJoin\r\nUniqueid: u9\r\nQueue: q\r\n\r\n'),
          60,
        );
      },
    );
    const got: AmiEventHeaders[] = [];
    const logs: string[] = [];
    const controller = new AbortController();
    const done = runAmiClient({
      host: '127.0.0.1',
      port: fake.port,
      username: 'tandem',
      secret: 's3cret',
      signal: controller.signal,
      batchMs: 25,
      now: () => 1795484300_000,
      log: (m) => logs.push(m),
      onEvents: async (events) => void got.push(...events),
    });
    await until(() => got.some((e) => e.Uniqueid === 'u9'));
    controller.abort();
    await done;
    expect(fake.logins[0]).toContain('Action: Login');
    expect(fake.logins[0]).toContain('Username: tandem\r\nSecret: s3cret');
    expect(got.map((e) => e.Event)).toEqual([
      'FullyBooted',
      'QueueCallerJoin',
      'AgentCalled',
      'QueueCallerLeave',
      'AgentConnect',
      'QueueMemberStatus',
      'AgentComplete',
      'QueueCallerJoin',
      'AgentRingNoAnswer',
      'QueueCallerAbandon',
      'QueueCallerLeave',
      'QueueMemberPause',
      'QueueMemberStatus',
      'Newchannel',
      'QueueCallerJoin',
    ]);
    expect(got.find((e) => e.Event === 'AgentConnect')).toMatchObject({
      Timestamp: '1795483808.100540',
      HoldTime: '8',
    });
    expect(got.at(-1)).toMatchObject({ Uniqueid: 'u9', Timestamp: '1795484300.000000' });
    expect(logs.some((l) => /skipped an AMI message: AMI line without/.test(l))).toBe(true);
  });

  it('reconnects with backoff after a refused login and a dropped connection, and retries a failed hand-off', async () => {
    fake = await fakeAmi(
      (n) => n !== 1,
      (s) => {
        s.write('Event: QueueCallerJoin\r\nUniqueid: u1\r\nQueue: q\r\n\r\n');
        // The first accepted connection drops; the next one carries on.
        if (fake!.logins.length === 2) setTimeout(() => s.destroy(), 30);
      },
    );
    const got: AmiEventHeaders[] = [];
    const logs: string[] = [];
    let failures = 1;
    const controller = new AbortController();
    const done = runAmiClient({
      host: '127.0.0.1',
      port: fake.port,
      username: 'tandem',
      secret: 'x',
      signal: controller.signal,
      batchMs: 20,
      minBackoffMs: 20,
      maxBackoffMs: 80,
      log: (m) => logs.push(m),
      onEvents: async (events) => {
        if (failures-- > 0) throw new Error('server answered 503');
        got.push(...events);
      },
    });
    await until(() => fake!.logins.length >= 3 && got.length >= 2);
    controller.abort();
    await done;
    expect(logs.some((l) => l.includes('AMI login refused: Authentication failed'))).toBe(true);
    expect(logs.some((l) => l.includes('could not hand on 1 events: server answered 503'))).toBe(true);
    expect(got.every((e) => e.Uniqueid === 'u1')).toBe(true);
  });

  it('survives a server that is not there, and stops when told', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const logs: string[] = [];
    const controller = new AbortController();
    const done = runAmiClient({
      host: '127.0.0.1',
      port,
      username: 'u',
      secret: 's',
      signal: controller.signal,
      minBackoffMs: 10,
      log: (m) => logs.push(m),
      onEvents: async () => undefined,
    });
    await until(() => logs.filter((l) => l.includes('reconnecting')).length >= 2);
    controller.abort();
    await done;
    await expect(
      runAmiClient({
        host: 'h',
        port,
        username: 'u\r\nAction: Originate',
        secret: 's',
        signal: controller.signal,
        log: () => undefined,
        onEvents: async () => undefined,
      }),
    ).rejects.toThrow(/single lines/);
  });
});
