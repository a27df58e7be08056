/**
 * A failed commit in words a producer can act on. The database's own message names files and paths
 * of this server, so it goes to the log only; the producer learns the kind of failure.
 */
const REASONS: readonly (readonly [RegExp, string])[] = [
  // First: NATS's own words (a timeout, a permission) must not be read as the disk's.
  [/^event log unavailable/i, 'the shared event log (NATS JetStream) did not confirm the events'],
  [/no space left|disk (is )?full|ENOSPC|file too large|EFBIG|quota/i, 'the disk is full'],
  [/read-only|EROFS|permission denied|EACCES|EPERM/i, 'the database file is read-only'],
  // DuckDB stops taking anything after a fatal error (a failed write of its log, for one) until restarted.
  [/invalidated|must be restarted|FATAL/i, 'the database failed and the server must be restarted'],
  [/database is closed/i, 'the server is shutting down'],
  [/I\/?O error|EIO\b/i, 'the disk reported an I/O error'],
];

const kindOf = (err: unknown): string | undefined => {
  const message = err instanceof Error ? err.message : String(err);
  return REASONS.find(([pattern]) => pattern.test(message))?.[1];
};

export function storageReason(err: unknown): string {
  return kindOf(err) ?? 'the database refused the write (the server log has the details)';
}

/** Whether the error is the storage failing (disk, file, database state), not a statement that is wrong. */
export function isStorageFailure(err: unknown): boolean {
  return kindOf(err) !== undefined;
}
