import { describe, expect, it } from 'vitest';
import { isStorageFailure, storageReason } from './storage-reason.ts';

describe('storageReason', () => {
  it('names the kind of failure and never passes on the database text', () => {
    const cases: [string, string][] = [
      ['IO Error: Could not write file "/srv/t.duckdb.wal": No space left on device', 'the disk is full'],
      ['IO Error: Could not write file "/srv/t.duckdb.wal": File too large', 'the disk is full'],
      [
        'Invalid Input Error: Cannot execute statement of type "INSERT" on database "t" which is attached in read-only mode!',
        'the database file is read-only',
      ],
      ['IO Error: Cannot open file "/srv/t.duckdb.wal": Permission denied', 'the database file is read-only'],
      [
        'FATAL Error: Failed: database has been invalidated because of a previous fatal error.',
        'the database failed and the server must be restarted',
      ],
      ['database is closed', 'the server is shutting down'],
      ['IO Error: Could not fsync file "/srv/t.duckdb": Input/output error', 'the disk reported an I/O error'],
      [
        'event log unavailable: TimeoutError: timeout; Permission denied',
        'the shared event log (NATS JetStream) did not confirm the events',
      ],
      ['something else entirely at /srv/t.duckdb', 'the database refused the write (the server log has the details)'],
    ];
    for (const [message, reason] of cases) expect(storageReason(new Error(message)), message).toBe(reason);
  });

  it('tells a failing disk from a wrong statement', () => {
    expect(isStorageFailure(new Error('IO Error: Could not write file "x": No space left on device'))).toBe(true);
    expect(isStorageFailure(new Error('Binder Error: Referenced column "nope" not found'))).toBe(false);
  });
});
