import { describe, expect, it } from 'vitest';
import { presentedKey } from './authenticate.ts';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

describe('presentedKey', () => {
  it('reads a Bearer key on any path', () => {
    expect(presentedKey('Bearer tdk_abc', '/api/events')).toBe('tdk_abc');
    expect(presentedKey('bearer tdk_abc', '/api/ingest/x')).toBe('tdk_abc');
  });

  it('reads the Basic password as the key only under /api/ingest/', () => {
    expect(presentedKey(basic('twilio:tdk_abc'), '/api/ingest/twilio-taskrouter')).toBe('tdk_abc');
    // A password may itself hold a colon; only the first one separates the user name.
    expect(presentedKey(basic('u:tdk:x'), '/api/ingest/x')).toBe('tdk:x');
    expect(presentedKey(basic('twilio:tdk_abc'), '/api/events')).toBeUndefined();
    expect(presentedKey(basic('twilio:tdk_abc'), '/api/ingestx')).toBeUndefined();
  });

  it('does not take an empty or missing password, or other schemes', () => {
    expect(presentedKey(basic('twilio:'), '/api/ingest/x')).toBeUndefined();
    expect(presentedKey(basic('tdk_abc'), '/api/ingest/x')).toBeUndefined();
    expect(presentedKey('Digest username="a"', '/api/ingest/x')).toBeUndefined();
    expect(presentedKey(undefined, '/api/ingest/x')).toBeUndefined();
  });
});
