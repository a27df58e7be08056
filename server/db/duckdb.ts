/**
 * The one module that touches the DuckDB driver: open, query, append, transaction, close.
 * Values always travel as parameters. Writes go through one serialised writer connection so that
 * a transaction never interleaves with another caller's statements; reads use their own connection.
 */
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type Param = string | number | boolean | null | bigint;
export type Row = Record<string, unknown>;
/** One row for the appender, in the table's column order. */
export type AppendRow = readonly (string | number | null)[];

export type Database = {
  readonly path: string;
  /** Reads (and one-off statements) on the reader connection. */
  query<R extends Row = Row>(sql: string, params?: readonly Param[]): Promise<R[]>;
  /** Runs `fn` exclusively on the writer connection inside BEGIN/COMMIT (ROLLBACK on error). */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  /**
   * Rows written out as a file by DuckDB itself (CSV with a header, or Parquet), on a connection of
   * their own: `columns` name and type the table, `select` may cast them on the way out (its SQL is
   * the caller's, never a value). The file's bytes are returned and the file removed.
   */
  exportRows(
    columns: readonly (readonly [string, ColumnKind])[],
    rows: readonly AppendRow[],
    format: 'csv' | 'parquet',
    select?: string,
  ): Promise<Buffer>;
  /**
   * Runs `fn` inside one transaction on a connection of its own, so that every statement it runs sees
   * the same snapshot while writers carry on (DuckDB's MVCC); rolled back at the end, as it only reads
   * (a COPY .. TO a file writes no table).
   */
  snapshot<T>(fn: (tx: Pick<WriteTx, 'query'>) => Promise<T>): Promise<T>;
  /**
   * A write transaction on a connection of its own, beside the writer, committed at the end: for
   * building a new table from a consistent snapshot of others (a sorted copy) without holding the
   * writer, so that commits of events go on meanwhile. It must only create or change tables no other
   * transaction changes, or DuckDB fails one of the two with a conflict.
   */
  aside<T>(fn: (tx: Pick<WriteTx, 'query'>) => Promise<T>): Promise<T>;
  /**
   * The first column of a query, a DOUBLE without NULLs, as one array: for a column of millions of
   * numbers, which `query` would turn into as many row objects. Read chunk by chunk on the reader.
   */
  readDoubles(sql: string, params?: readonly Param[]): Promise<Float64Array>;
  close(): Promise<void>;
};

/**
 * A SQL string literal, for the few places where DuckDB takes no parameter (the file of a COPY .. TO).
 * Doubling quotes is all a DuckDB literal needs (no backslash escapes); control characters are refused
 * outright, since no sane file name has them.
 */
export function sqlString(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new Error('a control character cannot be part of a file name here');
  return `'${text.replaceAll("'", "''")}'`;
}

export type WriteTx = {
  query<R extends Row = Row>(sql: string, params?: readonly Param[]): Promise<R[]>;
  /** Bulk-loads rows with DuckDB's appender; column types follow the table. */
  append(table: string, types: readonly ColumnKind[], rows: readonly AppendRow[], schema?: string): Promise<void>;
};

export type ColumnKind = 'varchar' | 'integer' | 'bigint' | 'double';

function toJs(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  return value;
}

async function read<R extends Row>(conn: DuckDBConnection, sql: string, params?: readonly Param[]): Promise<R[]> {
  const reader = await conn.runAndReadAll(sql, params ? (params as DuckDBValue[]) : undefined);
  const rows = reader.getRowObjectsJS() as Row[];
  for (const row of rows) for (const k in row) row[k] = toJs(row[k]);
  return rows as R[];
}

function appendAll(appender: DuckDBAppender, types: readonly ColumnKind[], rows: readonly AppendRow[]): void {
  for (const row of rows) {
    for (let i = 0; i < types.length; i++) {
      const v = row[i];
      if (v === null || v === undefined) appender.appendNull();
      else if (types[i] === 'varchar') appender.appendVarchar(v as string);
      else if (types[i] === 'integer') appender.appendInteger(v as number);
      else if (types[i] === 'bigint') appender.appendBigInt(BigInt(v as number));
      else appender.appendDouble(v as number);
    }
    appender.endRow();
  }
}

/**
 * DuckDB refuses every statement, reads too, once a write of its files failed (a checkpoint on a full
 * disk, for one) until the database is opened again; what was committed before is intact on disk.
 */
const INVALIDATED = /^FATAL Error|database has been invalidated|must be restarted prior to being used/i;

export type OpenOptions = {
  /**
   * DuckDB's buffer memory, e.g. '4GB'. DuckDB's own default is 80 % of the machine: its cache of the
   * file then grows with the file for days on a long-running server, so Tandem passes a bound.
   */
  memoryLimit?: string;
};

export async function openDatabase(path: string, options: OpenOptions = {}): Promise<Database> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const settings = options.memoryLimit ? { memory_limit: options.memoryLimit } : undefined;
  let instance = await DuckDBInstance.create(path, settings);
  let reader = await instance.connect();
  let writer = await instance.connect();
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;
  // Set when DuckDB reported itself invalidated: the next statement opens the file again first, so the
  // server reads again at once and writes again when the disk has room, without a restart.
  let invalidated = false;
  let reopening: Promise<void> | null = null;
  const noteFailure = (err: unknown) => {
    if (path !== ':memory:' && INVALIDATED.test(String((err as Error)?.message))) invalidated = true;
  };
  const reopen = async () => {
    for (const c of [reader, writer]) {
      try {
        c.closeSync();
      } catch {
        // already unusable
      }
    }
    try {
      instance.closeSync();
    } catch {
      // already unusable
    }
    instance = await DuckDBInstance.create(path, settings);
    reader = await instance.connect();
    writer = await instance.connect();
    invalidated = false;
  };
  /** Reopens once for every caller that finds the database invalidated; in the writer's turn, so no transaction is cut. */
  const ready = (): Promise<void> => {
    if (!invalidated) return Promise.resolve();
    if (!reopening) {
      const run = chain.then(reopen, reopen).finally(() => {
        reopening = null;
      });
      chain = run.catch(() => undefined);
      reopening = run;
    }
    return reopening;
  };
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      noteFailure(err);
      throw err;
    }
  };

  const tx: WriteTx = {
    query: (sql, params) => read(writer, sql, params),
    async append(table, types, rows, schema) {
      const appender = await writer.createAppender(
        table,
        schema === 'temp' ? 'main' : schema,
        schema === 'temp' ? 'temp' : undefined,
      );
      try {
        appendAll(appender, types, rows);
        appender.flushSync();
      } catch (err) {
        // Discard what the failed flush left buffered: otherwise the appender's finalizer flushes it,
        // whenever garbage collection runs, into whatever transaction the connection is in by then,
        // and aborts that one. After a failed flush closing fails too; report the first, real error.
        try {
          appender.clear();
          appender.closeSync();
        } catch {
          // already failing
        }
        throw err;
      }
      appender.closeSync();
    },
  };

  return {
    path,
    async query(sql, params) {
      await ready();
      return guarded(() => read(reader, sql, params));
    },
    write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
      const run = async (): Promise<T> => {
        if (closed) throw new Error('database is closed');
        if (invalidated) await reopen();
        return guarded(async () => {
          await writer.run('BEGIN TRANSACTION');
          try {
            const result = await fn(tx);
            await writer.run('COMMIT');
            return result;
          } catch (err) {
            await writer.run('ROLLBACK').catch(() => undefined);
            throw err;
          }
        });
      };
      const next = chain.then(run, run);
      chain = next.catch(() => undefined);
      return next;
    },
    async exportRows(columns, rows, format, select = '*') {
      if (closed) throw new Error('database is closed');
      await ready();
      const conn = await instance.connect();
      const dir = mkdtempSync(join(tmpdir(), 'tandem-export-'));
      try {
        const file = join(dir, `rows.${format}`);
        const names = columns.map(([name]) => `"${name.replaceAll('"', '""')}"`);
        const types = { varchar: 'VARCHAR', integer: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE' };
        await conn.run(
          `CREATE TEMP TABLE export_rows (${columns.map(([, kind], i) => `${names[i]} ${types[kind]}`).join(', ')})`,
        );
        const appender = await conn.createAppender('export_rows', 'main', 'temp');
        appendAll(
          appender,
          columns.map(([, kind]) => kind),
          rows,
        );
        appender.closeSync();
        const options = format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet';
        await conn.run(`COPY (SELECT ${select} FROM export_rows) TO ${sqlString(file)} (${options})`);
        return readFileSync(file);
      } finally {
        conn.closeSync();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async snapshot(fn) {
      if (closed) throw new Error('database is closed');
      await ready();
      const conn = await instance.connect();
      try {
        await conn.run('BEGIN TRANSACTION');
        try {
          return await fn({ query: (sql, params) => read(conn, sql, params) });
        } finally {
          await conn.run('ROLLBACK').catch(() => undefined);
        }
      } finally {
        conn.closeSync();
      }
    },
    async aside(fn) {
      if (closed) throw new Error('database is closed');
      await ready();
      const conn = await instance.connect();
      try {
        return await guarded(async () => {
          await conn.run('BEGIN TRANSACTION');
          try {
            const result = await fn({ query: (sql, params) => read(conn, sql, params) });
            await conn.run('COMMIT');
            return result;
          } catch (err) {
            await conn.run('ROLLBACK').catch(() => undefined);
            throw err;
          }
        });
      } finally {
        conn.closeSync();
      }
    },
    async readDoubles(sql, params) {
      await ready();
      return guarded(async () => {
        const result = await reader.stream(sql, params ? (params as DuckDBValue[]) : undefined);
        let out = new Float64Array(1 << 16);
        let n = 0;
        for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
          const column = chunk.getColumnVector(0);
          if (n + chunk.rowCount > out.length) {
            const grown = new Float64Array(Math.max(out.length * 2, n + chunk.rowCount));
            grown.set(out.subarray(0, n));
            out = grown;
          }
          for (let i = 0; i < chunk.rowCount; i++) out[n++] = column.getItem(i) as number;
        }
        return out.slice(0, n);
      });
    },
    async close() {
      await chain;
      closed = true;
      reader.closeSync();
      writer.closeSync();
      instance.closeSync();
    },
  };
}
