/** GET /api/staffing through app.request(): the Erlang C calculator's answers, defaults and field errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/http/app.ts';
import { ERLANG_C_FORMULAS } from '../../server/kpi/erlang-c.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { signedIn, tempDbPath, testConfig } from '../helpers/server.ts';

describe('GET /api/staffing', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  let cookie = '';

  const get = (query: string) => app.request(`/api/staffing?${query}`, { headers: { cookie } });

  /** The field errors of a 400 answer. */
  async function fieldErrors(query: string): Promise<{ path: string; message: string }[]> {
    const res = await get(query);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('bad_request');
    return body.error.details;
  }

  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: db.path }));
    app = createApp(tandem);
    cookie = (await signedIn(tandem, ['supervisor'])).cookie;
  });
  afterAll(async () => {
    await tandem.close();
    db.cleanup();
  });

  it('sizes the Call Centre Helper example and echoes its input with the defaults filled in', async () => {
    const res = await get('calls=100&ahtSeconds=180&shrinkage=0.3&maxOccupancy=0.85');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.input).toEqual({
      calls: 100,
      intervalMinutes: 30,
      ahtSeconds: 180,
      targetSeconds: 20,
      serviceLevel: 0.8,
      shrinkage: 0.3,
      maxOccupancy: 0.85,
    });
    expect(body.trafficErlangs).toBe(10);
    expect(body.agents).toBe(14);
    expect(body.scheduledAgents).toBe(20);
    expect(body.table.map((r: { agents: number }) => r.agents)).toEqual([12, 13, 14, 15, 16]);
    const row = body.table[2];
    expect(row.probabilityWaiting).toBeCloseTo(0.17413, 5);
    expect(row.serviceLevel).toBeCloseTo(0.88835, 5);
    expect(row.asaSeconds).toBeCloseTo(7.836, 3);
    expect(row.occupancy).toBeCloseTo(0.714286, 6);
    expect(body.formula).toEqual(ERLANG_C_FORMULAS);
  });

  it('answers a forecast of no calls with no agents', async () => {
    const res = await get('calls=0&ahtSeconds=180');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ trafficErlangs: 0, agents: 0, scheduledAgents: 0, table: [] });
    expect(body.input.maxOccupancy).toBeNull();
  });

  it('sizes a large load', async () => {
    const body = await (await get('calls=20000&intervalMinutes=30&ahtSeconds=300')).json();
    expect(body.agents).toBeGreaterThan(3334);
    expect(body.table).toHaveLength(5);
  });

  it('requires calls and ahtSeconds', async () => {
    expect(await fieldErrors('')).toEqual([
      { path: 'calls', message: 'is required' },
      { path: 'ahtSeconds', message: 'is required' },
    ]);
  });

  it('names each field that is not a number or out of range', async () => {
    const details = await fieldErrors(
      'calls=-1&intervalMinutes=0&ahtSeconds=abc&targetSeconds=-5&shrinkage=1&maxOccupancy=1.5',
    );
    expect(details.map((d) => d.path)).toEqual([
      'calls',
      'intervalMinutes',
      'ahtSeconds',
      'targetSeconds',
      'shrinkage',
      'maxOccupancy',
    ]);
    expect(details.find((d) => d.path === 'ahtSeconds')!.message).toBe('must be a number');
  });

  it('takes the service level as a fraction and says so', async () => {
    const details = await fieldErrors('calls=100&ahtSeconds=180&serviceLevel=80');
    expect(details).toEqual([
      { path: 'serviceLevel', message: 'must be a fraction between 0 and 1, exclusive (0.8 means 80%)' },
    ]);
  });

  it('rejects notations Number() would read but a person would not mean', async () => {
    for (const bad of ['0x10', 'Infinity', 'NaN', '1,5', ' ']) {
      const details = await fieldErrors(`calls=${encodeURIComponent(bad)}&ahtSeconds=180`);
      expect(details, bad).toEqual([{ path: 'calls', message: 'must be a number' }]);
    }
  });

  it('refuses a load too large to size, once per field', async () => {
    expect(await fieldErrors('calls=1000000&intervalMinutes=1&ahtSeconds=86400')).toEqual([
      {
        path: 'calls',
        message: 'gives 1440000000 Erlangs with this ahtSeconds and intervalMinutes; at most 100000 can be sized',
      },
    ]);
    expect(await fieldErrors('calls=2000000&intervalMinutes=1&ahtSeconds=86400')).toEqual([
      { path: 'calls', message: 'must be at most 1,000,000' },
    ]);
  });

  it('needs the right to see KPIs', async () => {
    const anonymous = await app.request('/api/staffing?calls=100&ahtSeconds=180');
    expect(anonymous.status).toBe(401);
    const qa = (await signedIn(tandem, ['qa'])).cookie;
    const res = await app.request('/api/staffing?calls=100&ahtSeconds=180', { headers: { cookie: qa } });
    expect(res.status).toBe(403);
  });
});
