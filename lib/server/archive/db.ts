import "server-only";

/**
 * The one SQL interface of the archive: PostgreSQL's dialect, whether the database is embedded (PGlite,
 * Postgres compiled to WebAssembly) or a server (postgres.js). Parameters are `$1`, `$2`…; values that
 * could exceed a JavaScript number (bigint) are cast to text or float8 in the SQL itself, so both
 * drivers return the same types.
 */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Sql {
  kind: "embedded" | "server";
  /** Run `fn` in one transaction. */
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * Try to become the only syncing instance: a session advisory lock held on a dedicated connection
   * until {@link release}. The embedded database belongs to one process, which always holds it.
   */
  tryLock(key: number): Promise<{ release(): Promise<void> } | null>;
  close(): Promise<void>;
}

/**
 * The embedded database in `dir` (created on first use), or in memory when `dir` is null. `template`
 * is a data directory dumped earlier: starting from it skips the database's own initialization.
 */
export async function openEmbedded(dir: string | null, template?: Blob): Promise<Db> {
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = await PGlite.create({
    ...(dir ? { dataDir: dir } : {}),
    ...(template ? { loadDataDir: template } : {}),
  });
  const sql: Sql = {
    async query<T>(text: string, params: unknown[] = []) {
      return (await pg.query(text, params)).rows as T[];
    },
  };
  return {
    kind: "embedded",
    ...sql,
    transaction: (fn) =>
      pg.transaction((tx) =>
        fn({
          query: async <T>(text: string, params: unknown[] = []) =>
            (await tx.query(text, params)).rows as T[],
        }),
      ),
    tryLock: async () => ({ release: async () => {} }),
    close: () => pg.close(),
  };
}

export async function openServer(url: string): Promise<Db> {
  const { default: postgres } = await import("postgres");
  const pg = postgres(url, { max: 4, onnotice: () => {}, types: {} });
  const wrap = (s: { unsafe: (q: string, p?: never[]) => Promise<unknown> }): Sql => ({
    query: async <T>(text: string, params: unknown[] = []) =>
      (await s.unsafe(text, params as never[])) as T[],
  });
  const sql = wrap(pg as never);
  return {
    kind: "server",
    ...sql,
    transaction: (fn) => pg.begin((tx) => fn(wrap(tx as never))) as never,
    async tryLock(key) {
      const conn = await pg.reserve();
      const [row] = await conn.unsafe("select pg_try_advisory_lock($1) as ok", [key]);
      if (!row?.ok) {
        conn.release();
        return null;
      }
      return {
        async release() {
          await conn.unsafe("select pg_advisory_unlock($1)", [key]).catch(() => {});
          conn.release();
        },
      };
    },
    close: () => pg.end({ timeout: 5 }),
  };
}
