/**
 * Personal data in transcripts is redacted at ingest: the stored segment has typed tokens and counts,
 * and the original text is nowhere in the database file, its write-ahead log included.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedactionSettings } from '../../server/qa/redaction-settings.ts';
import { postEvents, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const CARD = '4111 1111 1111 1111';
const MOBILE = '13812345678';
const ID = '11010519491231002X';

describe('redaction at ingest', () => {
  let server: TestServer;
  const db = tempDbPath();
  const at = new Date(Date.now() - 60_000).toISOString();
  const segment = (id: string, text: string, extra: object = {}) => ({
    id,
    type: 'transcript.segment',
    at,
    contactId: 'c-redact',
    speaker: 'customer',
    text,
    ...extra,
  });

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
  });
  afterAll(async () => {
    await server?.close();
    db.cleanup();
  });

  it('stores tokens and counts instead of the card, mobile and ID numbers', async () => {
    const res = await postEvents(server, [
      segment('seg-1', `My card is ${CARD} and my mobile ${MOBILE}`),
      segment('seg-2', `身份证号${ID}，订单号 4111111111111112`),
      // A producer cannot claim counts of its own.
      segment('seg-3', 'nothing to hide here', { redactions: { CARD: 9 } }),
    ]);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 3, rejected: [] });
    const rows = await server.tandem.db.query<{ id: string; body: string }>(
      "SELECT id, body::VARCHAR AS body FROM events WHERE type = 'transcript.segment' ORDER BY id",
    );
    const bodies = rows.map((r) => JSON.parse(r.body) as { text: string; redactions?: object });
    expect(bodies[0]).toMatchObject({
      text: 'My card is [CARD] and my mobile [PHONE]',
      redactions: { CARD: 1, PHONE: 1 },
    });
    // The order number fails Luhn: it is not a card and stays readable.
    expect(bodies[1]).toMatchObject({ text: '身份证号[CN_ID]，订单号 4111111111111112', redactions: { CN_ID: 1 } });
    expect(bodies[2]!.redactions).toBeUndefined();
  });

  it('redacts only the kinds an admin keeps, audits the choice, and refuses unknown kinds by name', async () => {
    const put = (body: unknown) =>
      fetch(`${server.url}/api/settings/redaction`, {
        method: 'PUT',
        headers: { cookie: server.adminCookie, origin: server.url, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await put({ kinds: ['EMAIL', 'IBAN'] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details[0].path).toBe('kinds.1');
    const res = await put({ kinds: ['PHONE', 'EMAIL'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kinds: ['EMAIL', 'PHONE'] });
    expect((await postEvents(server, [segment('seg-4', 'mail a@b.io, card 5500 0000 0000 0004')])).status).toBe(202);
    const [row] = await server.tandem.db.query<{ body: string }>(
      "SELECT body::VARCHAR AS body FROM events WHERE id = 'seg-4'",
    );
    expect(JSON.parse(row!.body)).toMatchObject({
      text: 'mail [EMAIL], card 5500 0000 0000 0004',
      redactions: { EMAIL: 1 },
    });
    const [entry] = await server.tandem.auth.audit.list({ action: 'settings.redaction' });
    expect(entry!.detail).toEqual({ kinds: ['EMAIL', 'PHONE'], added: [], removed: ['CN_ID', 'CARD', 'SSN'] });
    // A restart keeps the choice: a fresh instance reads it from the table.
    expect((await new RedactionSettings(server.tandem.db, server.tandem.auth.audit).load()).kinds).toEqual([
      'EMAIL',
      'PHONE',
    ]);
    // Everything again, so the next test's checks hold.
    expect((await put({ kinds: ['CN_ID', 'CARD', 'SSN', 'EMAIL', 'PHONE'] })).status).toBe(200);
  });

  it('leaves no trace of the originals in the database file', async () => {
    await server.close();
    const file = Buffer.concat([db.path, `${db.path}.wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
    const bytes = file.toString('latin1');
    const utf8 = file.toString('utf8');
    expect(bytes).not.toContain(CARD);
    expect(bytes).not.toContain(MOBILE);
    expect(utf8).not.toContain(ID);
    // The file does hold the stored text, readable: the checks above look at the right bytes.
    expect(bytes).toContain('[CARD]');
    expect(bytes).toContain('4111111111111112');
    server = undefined as never;
  });
});
