import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { mulberry32 } from "@/lib/sandbox/prng";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { pickQuery, validateSearch } from "@/lib/search-params";
import { openServer, type Db } from "@/lib/server/archive/db";
import { readArchivePage } from "@/lib/server/archive/reads";
import { migrate } from "@/lib/server/archive/schema";
import { parseArchiveSettings } from "@/lib/server/archive/settings";
import { fetchArchivePage, type FetchArchivePage } from "@/lib/server/archive/source";
import { countEntries, entryFromRaw, upsertEntries } from "@/lib/server/archive/store";
import { ArchiveSync } from "@/lib/server/archive/sync";
import { parseConfig, type Config } from "@/lib/server/config";
import { normalizeV2Entry } from "@/lib/server/normalize";
import { fetchLogPage, transportOnly } from "@/lib/server/upstream";
import { startPostgres, type PostgresService } from "../../support/services";

const NOW = new Date("2026-11-18T12:00:00Z");
const SIZE = 50_000;

/**
 * The standalone sandbox refuses more than 48 calls in any 10 s, fewer than the 50 calls a backfill of
 * 50,000 entries takes: only a sync paced by the budget (44 calls per 10 s, of which background work may
 * use half) gets through without a 429.
 */
const SANDBOX_LIMIT = { limit: 48, windowSeconds: 10 };
const BUDGET = "44/10s";

const parsed = (env: Record<string, string>) => {
  const r = parseConfig(env);
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.config;
};
let config: Config;
/** The API the archive is compared with: the same entries, served in process, with no limit in the way. */
const api = parsed({ SANDBOX_NOW: NOW.toISOString(), SANDBOX_SIZE: String(SIZE), SANDBOX_RATE_LIMIT: "off" });

function settings(env: Record<string, string> = {}) {
  const r = parseArchiveSettings({ ARCHIVE: "on", ...env });
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.settings;
}

let pg: PostgresService;
let sandbox: SandboxServer;
let db: Db;
const upstreamOrder: string[] = [];
let calls = 0;

beforeAll(async () => {
  sandbox = await startSandboxServer({ port: 0, size: SIZE, now: NOW, rateLimit: SANDBOX_LIMIT });
  config = parsed({
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: sandbox.url,
    UPSTREAM_BUDGET: BUDGET,
    AUTH_MODE: "none",
  });
  pg = await startPostgres();
  db = await openServer(pg.url);
  await migrate(db);
  const fetchPage: FetchArchivePage = async (c, q, o) => {
    calls++;
    const page = await fetchArchivePage(c, q, o);
    upstreamOrder.push(...page.data.map((e) => e.id));
    return page;
  };
  await new ArchiveSync({ db, config, settings: settings(), now: () => NOW, fetchPage }).runOnce();
}, 180_000);

afterAll(async () => {
  await db?.close();
  await pg?.stop();
  await sandbox?.close();
});

describe("archive on a PostgreSQL server", () => {
  it("backfills 50,000 entries from the rate-limited sandbox under the budget, in the upstream's order, one call per 1,000, with no 429", async () => {
    expect(await countEntries(db)).toBe(SIZE);
    expect(new Set(upstreamOrder).size).toBe(SIZE);
    expect(calls).toBeLessThanOrEqual(SIZE / 1000 + 1);
    const limit = sandbox.limiter?.stats();
    expect(limit?.calls).toBeGreaterThan(SANDBOX_LIMIT.limit);
    expect(limit?.throttled).toBe(0);
    expect(limit?.busiestSpan).toBeLessThanOrEqual(44);
    const rows = await db.query<{ id: string }>("select id from archive_entries order by ord desc, id desc");
    expect(rows.map((r) => r.id)).toStrictEqual(upstreamOrder);
  });

  it("keeps an entry holding U+0000 identical", async () => {
    const raw = {
      id: "nul-1",
      action: { time: "2020-01-01T00:00:00Z", type: "update", result: "success", description: "a\u0000b" },
      actor: { email: "x\u0000@example.com", ip_address: "198.51.100.7" },
      resource: { request: { name: "\u0000", nested: ["\u0000\u0001", "\ud800"] } },
    };
    await upsertEntries(db, [{ entry: normalizeV2Entry(structuredClone(raw)), rank: 0 }]);
    const [row] = await db.query<{ raw: string }>("select raw from archive_entries where id = 'nul-1'");
    expect(entryFromRaw(row.raw, "v2").raw).toStrictEqual(raw);
    await db.query("delete from archive_entries where id = 'nul-1'");
  });

  it("gives the same rows in the same order as the API for 100 random queries", async () => {
    const rand = mulberry32(20261118);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
    const distinct = async (column: string) =>
      (
        await db.query<{ v: string }>(
          `select distinct ${column}::text as v from archive_entries where ${column} is not null and ${column}::text <> '' limit 40`,
        )
      ).map((r) => r.v);
    const values: Record<string, string[]> = {
      action_type: ["create", "update", "delete"],
      action_result: ["success", "failure"],
      actor_email: (await distinct("actor_email")).flatMap((e) => [e, e.toUpperCase()]),
      actor_type: await distinct("actor_type"),
      actor_token_name: await distinct("actor_token_name"),
      resource_type: await distinct("resource_type"),
      resource_product: await distinct("resource_product"),
      resource_scope: await distinct("resource_scope"),
      zone_name: (await distinct("zone_name")).flatMap((z) => [z, z.toUpperCase()]),
      raw_method: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      raw_status_code: ["200", "500", "503"],
      actor_ip_address: (await distinct("host(actor_inet)")).flatMap((ip) =>
        ip.includes(":") ? [ip] : [ip, ip.replace(/\.\d+$/, ".0/24")],
      ),
    };
    const names = Object.keys(values);
    const span = 120 * 86_400_000;
    let nonEmpty = 0;
    for (let n = 0; n < 100; n++) {
      const since = NOW.getTime() - Math.floor(rand() * span);
      const before = Math.min(NOW.getTime(), since + Math.floor(rand() * 30 * 86_400_000) + 3_600_000);
      const params = new URLSearchParams({
        since: new Date(since).toISOString().replace(/\.\d+Z$/, "Z"),
        before: new Date(before).toISOString().replace(/\.\d+Z$/, "Z"),
        direction: pick(["asc", "desc"]),
        limit: String(pick([1, 5, 20, 100, 1000])),
      });
      for (let f = Math.floor(rand() * 3); f > 0; f--) {
        const name = pick(names);
        params.append(rand() < 0.3 ? `${name}.not` : name, pick(values[name]));
      }
      const search = validateSearch(params, { api: "v2", now: NOW, accept: ["limit"] });
      if (!search.ok) throw new Error(`${params}: ${JSON.stringify(search.errors)}`);
      const query = pickQuery(search.value);
      const limit = search.value.limit;
      const fromApi = await fetchLogPage(api, query, { limit, now: NOW }, transportOnly(api));
      const archived = await readArchivePage(db, config, query, { cursor: null, limit, now: NOW });
      if (!archived.covered) throw new Error(`${params}: ${archived.reason}`);
      expect(archived.page.data, String(params)).toStrictEqual(fromApi.data);
      expect(archived.page.nextCursor === null, String(params)).toBe(fromApi.nextCursor === null);
      if (fromApi.data.length > 0) nonEmpty++;
      if (fromApi.nextCursor && archived.page.nextCursor) {
        const apiNext = await fetchLogPage(
          api,
          query,
          { limit, now: NOW, cursor: fromApi.nextCursor },
          transportOnly(api),
        );
        const next = await readArchivePage(db, config, query, {
          cursor: archived.page.nextCursor,
          limit,
          now: NOW,
        });
        expect(next.covered && next.page.data, `${params} page 2`).toStrictEqual(apiNext.data);
      }
    }
    expect(nonEmpty).toBeGreaterThan(50);
  }, 60_000);

  it("lets one instance sync at a time (advisory lock), and another take over when it stops", async () => {
    const fast = settings({ ARCHIVE_INTERVAL: "1s" });
    const [a, b] = [await openServer(pg.url), await openServer(pg.url)];
    const syncs = [a, b].map((d) => new ArchiveSync({ db: d, config, settings: fast, now: () => NOW }));
    try {
      syncs[0].start();
      await until(() => syncs[0].holdsLock);
      syncs[1].start();
      await new Promise((r) => setTimeout(r, 300));
      expect(syncs.map((s) => s.holdsLock)).toStrictEqual([true, false]);
      await syncs[0].stop();
      await until(() => syncs[1].holdsLock);
      expect(syncs[1].holdsLock).toBe(true);
    } finally {
      await Promise.all(syncs.map((s) => s.stop()));
      await Promise.all([a.close(), b.close()]);
    }
  }, 30_000);
});

describe("npm run archive:verify", () => {
  const verify = () =>
    spawnSync("node_modules/.bin/tsx", ["--conditions=react-server", "scripts/archive-verify.ts"], {
      encoding: "utf8",
      env: { ...process.env, ARCHIVE_DIR: "", DATABASE_URL: pg.url },
    });

  it("passes on the archive as written, then fails naming the day of one altered entry", async () => {
    const before = verify();
    expect(before.stdout).toMatch(/Archive verified: \d+ sealed days/);
    expect(before.status).toBe(0);
    const [victim] = await db.query<{ id: string }>(
      "select id from archive_entries where day = '2026-10-07' order by id limit 1",
    );
    await db.query("update archive_entries set raw = replace(raw, 'Z\"', '.000Z\"') where id = $1", [
      victim.id,
    ]);
    const after = verify();
    expect(after.stderr).toMatch(/FAILED at 2026-10-07: its entries were changed/);
    expect(after.status).toBe(1);
  }, 60_000);
});

async function until(test: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 20));
  }
}
