import "server-only";
import type { Db } from "./db";

/**
 * The archive's schema, one migration per step, applied in order at start. A migration never changes
 * once released: a change of schema is a new step at the end.
 *
 * `raw` is the upstream entry as JSON text. JSON text escapes U+0000 (as `\u0000`), which PostgreSQL
 * refuses in `text` and `jsonb` values, so every value survives as received. The other columns are
 * copies for filtering and ordering (with U+0000 replaced: filter values never hold control characters).
 */
const MIGRATIONS: string[][] = [
  [
    `create table archive_entries (
     id text primary key,
     time_ms bigint not null,
     -- Position among entries of the same instant, in the upstream's newest-first order.
     rank integer not null,
     -- One sort key for the upstream's order: time, then the upstream's own order within an instant.
     ord bigint generated always as (time_ms * 1000000 - rank) stored,
     day date not null,
     action_type text,
     action_result text,
     actor_email text,
     actor_ip text,
     actor_inet inet,
     actor_type text,
     actor_context text,
     actor_id text,
     actor_token_id text,
     actor_token_name text,
     resource_type text,
     resource_product text,
     resource_id text,
     resource_scope text,
     zone_id text,
     zone_name text,
     account_name text,
     ray_id text,
     method text,
     status_code integer,
     uri text,
     raw text not null,
     search text not null
   )`,
    `create index archive_entries_ord on archive_entries (ord, id)`,
    `create index archive_entries_day on archive_entries (day)`,
    `create index archive_entries_actor_email on archive_entries (lower(actor_email))`,
    `create index archive_entries_action_type on archive_entries (action_type)`,
    `create index archive_entries_resource_type on archive_entries (resource_type)`,
    `create table archive_state (key text primary key, value text not null)`,
    `create table archive_days (
     day date primary key,
     entries integer not null,
     prev text not null,
     sha256 text not null,
     -- Its entries were deleted by the retention setting: only its place in the chain is checked.
     pruned boolean not null default false,
     sealed_at timestamptz not null default now()
   )`,
  ],
  [
    // Pages and the overview read the window in sort-key order and test filters on these columns: kept
    // in the index, they are read from it alone (an index-only scan, once vacuumed), never from the
    // wide rows holding the entry's JSON and its search text.
    `create index archive_entries_ord_covering on archive_entries (ord, id) include (
       time_ms, action_type, action_result, actor_email, actor_ip, actor_inet, actor_type, actor_context,
       actor_id, actor_token_id, actor_token_name, resource_type, resource_product, zone_name, method,
       status_code)`,
    `drop index archive_entries_ord`,
    // The overview's counts of each sealed day (which never changes): per result, and per value of each
    // counted field. Summed, they answer an unfiltered overview over whole days without reading entries.
    `create table archive_day_counts (
       day date not null,
       kind text not null,
       result text,
       param text,
       value text,
       n double precision not null,
       oldest double precision,
       lossy double precision not null
     )`,
    `create index archive_day_counts_day on archive_day_counts (day)`,
  ],
  [
    // A filter matching few entries (one person, one zone, one resource) would read the whole window in
    // sort-key order to find them: keyed by its value first, the index gives them in that order at once.
    `create index archive_entries_email_ord on archive_entries (lower(actor_email), ord)`,
    `create index archive_entries_zone_ord on archive_entries (lower(zone_name), ord)`,
    `create index archive_entries_resource_id_ord on archive_entries (resource_id, ord)`,
    `create index archive_entries_action_type_ord on archive_entries (action_type, ord)`,
    `create index archive_entries_resource_type_ord on archive_entries (resource_type, ord)`,
    `drop index archive_entries_actor_email`,
    `drop index archive_entries_action_type`,
    `drop index archive_entries_resource_type`,
  ],
];

/** Bring the schema up to date (idempotent; several instances may start at once on a server). */
export async function migrate(db: Db): Promise<void> {
  await db.transaction(async (sql) => {
    // Serializes concurrent starts on a server: the second waits, then finds the work done.
    if (db.kind === "server") await sql.query("select pg_advisory_xact_lock(8815001)");
    await sql.query(
      "create table if not exists archive_migrations (version integer primary key, applied_at timestamptz not null default now())",
    );
    const rows = await sql.query<{ v: number | null }>("select max(version) as v from archive_migrations");
    const current = rows[0]?.v ?? 0;
    for (let v = current; v < MIGRATIONS.length; v++) {
      for (const statement of MIGRATIONS[v]) await sql.query(statement);
      await sql.query("insert into archive_migrations (version) values ($1)", [v + 1]);
    }
  });
}
