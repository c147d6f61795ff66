import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as archiveRoute } from "@/app/api/archive/route";
import { GET as dayRoute } from "@/app/api/archive/days/[day]/route";
import { GET as exportRoute } from "@/app/api/logs/export/route";
import { GET as statsRoute } from "@/app/api/logs/stats/route";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { pickQuery, validateSearch } from "@/lib/search-params";
import { verifyChain } from "@/lib/server/archive/chain";
import { FRESH_MARGIN_MS, readArchivePage } from "@/lib/server/archive/reads";
import { fetchLogPage, transportOnly } from "@/lib/server/upstream";
import type { Db } from "@/lib/server/archive/db";
import { setArchive } from "@/lib/server/archive/runtime";
import { parseArchiveSettings } from "@/lib/server/archive/settings";
import { fetchArchivePage, type FetchArchivePage } from "@/lib/server/archive/source";
import { countEntries } from "@/lib/server/archive/store";
import { ArchiveSync } from "@/lib/server/archive/sync";
import { parseConfig, type Config } from "@/lib/server/config";
import { callJson, useCloudflareMode } from "../server/routes-support";
import { testDb } from "./support";

const NOW = new Date("2026-11-18T12:00:00Z");
const SIZE = 3000;
const WINDOW = "since=2026-10-01T00:00:00Z&before=2026-11-18T00:00:00Z";

const settings = (() => {
  const r = parseArchiveSettings({ ARCHIVE: "on" });
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.settings;
})();

let server: SandboxServer;
let db: Db;
let upstreamOrder: string[] = [];
let firstRunCount = 0;
let config: Config;

/** The upstream, remembering ids in the order sent; it fails once `failAfter` pages were served. */
function recording(seen: string[], failAfter = Infinity): FetchArchivePage {
  let calls = 0;
  return async (config, query, options) => {
    if (calls++ >= failAfter) throw new Error("upstream went away");
    const page = await fetchArchivePage(config, query, options);
    seen.push(...page.data.map((e) => e.id));
    return page;
  };
}

async function archivedOrder(): Promise<string[]> {
  const rows = await db.query<{ id: string }>("select id from archive_entries order by ord desc, id desc");
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  server = await startSandboxServer({ port: 0, size: SIZE, now: NOW, enableFaults: true });
  db = await testDb();
  const env = {
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: server.url,
    AUTH_MODE: "none",
  };
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  config = parsed.config;
  // A first run stops after 7 pages of 200 (a crash, a deploy); a second process resumes.
  const first: string[] = [];
  await expect(
    new ArchiveSync({
      db,
      config,
      settings,
      now: () => NOW,
      pageSize: 200,
      fetchPage: recording(first, 7),
    }).runOnce(),
  ).rejects.toThrow("upstream went away");
  firstRunCount = await countEntries(db);
  const second: string[] = [];
  await new ArchiveSync({
    db,
    config,
    settings,
    now: () => NOW,
    pageSize: 200,
    fetchPage: recording(second),
  }).runOnce();
  // The order the upstream gives for the whole span, walked once more without interruption.
  const reference: string[] = [];
  const page = recording(reference);
  const fresh = await testDb();
  await new ArchiveSync({
    db: fresh,
    config,
    settings,
    now: () => NOW,
    pageSize: 200,
    fetchPage: page,
  }).runOnce();
  await fresh.close();
  upstreamOrder = reference;
  useCloudflareMode(server.url);
  setArchive({ settings, db: Promise.resolve(db), sync: null });
}, 60_000);

afterAll(async () => {
  setArchive(undefined);
  vi.unstubAllEnvs();
  await db?.close();
  await server?.close();
});

describe("embedded archive", () => {
  it("resumes a backfill stopped halfway with no gap and no duplicate", async () => {
    expect(firstRunCount).toBeGreaterThan(1000);
    expect(firstRunCount).toBeLessThan(SIZE);
    expect(await countEntries(db)).toBe(SIZE);
    expect(upstreamOrder).toHaveLength(SIZE);
    expect(await archivedOrder()).toStrictEqual(upstreamOrder);
  });

  it("answers /api/logs from the archive, identical to the API, and keeps answering when the upstream fails", async () => {
    const paths = [
      `/api/logs?${WINDOW}&limit=50`,
      `/api/logs?${WINDOW}&limit=7&direction=asc&actor_type=user`,
      `/api/logs?${WINDOW}&limit=30&action_result.not=success`,
      `/api/logs?${WINDOW}&limit=40&automation=exclude`,
      `/api/logs?${WINDOW}&limit=40&automation=only&direction=asc`,
    ];
    setArchive(null);
    const fromApi = await Promise.all(paths.map((p) => callJson<{ data: unknown[] }>(p)));
    setArchive({ settings, db: Promise.resolve(db), sync: null });
    server.faults.reset();
    server.faults.set({ kind: "status", status: 500 });
    try {
      for (const [k, path] of paths.entries()) {
        const { response, body } = await callJson<{ data: { id: string }[] }>(path);
        expect(response.status).toBe(200);
        expect(body.data.length).toBeGreaterThan(0);
        expect(body.data).toStrictEqual(fromApi[k].body.data);
      }
      expect(server.faults.requests).toHaveLength(0);
      // A window reaching past the archive goes to the API, which is failing.
      const outside = await callJson("/api/logs?range=1h");
      expect(outside.response.status).toBeGreaterThanOrEqual(500);
      expect(server.faults.requests.length).toBeGreaterThan(0);
    } finally {
      server.faults.reset();
    }
  });

  it("answers the activity overview from the archive: every entry counted, no upstream call", async () => {
    const call = async (path: string) => {
      const response = await statsRoute(new Request(`http://localhost${path}`));
      return { status: response.status, body: await response.json() };
    };
    const path = `/api/logs/stats?${WINDOW}&buckets=20&actor_type=user`;
    setArchive(null);
    const fromApi = await call(path);
    setArchive({ settings, db: Promise.resolve(db), sync: null });
    server.faults.reset();
    server.faults.set({ kind: "status", status: 500 });
    try {
      const archived = await call(path);
      expect(archived.status).toBe(200);
      expect(archived.body.coverage.complete).toBe(true);
      expect(archived.body.totals.entries).toBeGreaterThan(0);
      expect(archived.body).toStrictEqual(fromApi.body);
      const searched = await call(`/api/logs/stats?${WINDOW}&q=cert-manager`);
      expect(searched.status).toBe(200);
      expect(searched.body.coverage.entries).toBeGreaterThan(0);
      expect(server.faults.requests).toHaveLength(0);
    } finally {
      server.faults.reset();
    }
    setArchive(null);
    try {
      const refused = await call(`/api/logs/stats?${WINDOW}&q=x`);
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].parameter).toBe("q");
    } finally {
      setArchive({ settings, db: Promise.resolve(db), sync: null });
    }
  });

  it("pages through the archive with its own cursor, like the API", async () => {
    setArchive(null);
    const apiFirst = await callJson<{ data: unknown[]; nextCursor: string }>(`/api/logs?${WINDOW}&limit=40`);
    const apiSecond = await callJson<{ data: unknown[] }>(
      `/api/logs?${WINDOW}&limit=40&cursor=${apiFirst.body.nextCursor}`,
    );
    setArchive({ settings, db: Promise.resolve(db), sync: null });
    const first = await callJson<{ data: unknown[]; nextCursor: string }>(`/api/logs?${WINDOW}&limit=40`);
    const second = await callJson<{ data: unknown[] }>(
      `/api/logs?${WINDOW}&limit=40&cursor=${first.body.nextCursor}`,
    );
    expect(first.body.data).toStrictEqual(apiFirst.body.data);
    expect(second.body.data).toStrictEqual(apiSecond.body.data);
    // Signed like the API's: an edited cursor, or one carried to another query, is refused.
    const edited = first.body.nextCursor.slice(0, -3) + (first.body.nextCursor.endsWith("A") ? "BBB" : "AAA");
    const refused = await callJson<{ errors: { parameter: string }[] }>(
      `/api/logs?${WINDOW}&limit=40&cursor=${edited}`,
    );
    expect(refused.response.status).toBe(400);
    expect(refused.body.errors[0].parameter).toBe("cursor");
    const carried = await callJson<{ errors: { parameter: string }[] }>(
      `/api/logs?${WINDOW}&limit=40&actor_type=user&cursor=${first.body.nextCursor}`,
    );
    expect(carried.response.status).toBe(400);
    expect(carried.body.errors[0].parameter).toBe("cursor");
  });

  it("searches every field with q on the archive, and refuses q elsewhere naming it", async () => {
    const { response, body } = await callJson<{ data: { raw: unknown }[] }>(
      `/api/logs?${WINDOW}&q=CERT-manager&limit=1000`,
    );
    expect(response.status).toBe(200);
    expect(body.data.length).toBeGreaterThan(0);
    for (const row of body.data) expect(JSON.stringify(row.raw).toLowerCase()).toContain("cert-manager");
    const all = await db.query<{ n: number }>(
      "select count(*)::int as n from archive_entries where time_ms >= $1 and time_ms < $2 and raw ilike '%cert-manager%'",
      [Date.parse("2026-10-01T00:00:00Z"), Date.parse("2026-11-18T00:00:00Z")],
    );
    expect(body.data).toHaveLength(all[0].n);

    const outside = await callJson<{ errors: { parameter: string; message: string }[] }>(
      "/api/logs?range=1h&q=x",
    );
    expect(outside.response.status).toBe(400);
    expect(outside.body.errors[0]).toMatchObject({ parameter: "q" });
    expect(outside.body.errors[0].message).toMatch(/archive holds/);

    setArchive(null);
    try {
      const off = await callJson<{ errors: { parameter: string; message: string }[] }>(
        `/api/logs?${WINDOW}&q=x`,
      );
      expect(off.response.status).toBe(400);
      expect(off.body.errors[0]).toMatchObject({ parameter: "q" });
      expect(off.body.errors[0].message).toMatch(/archive is off/);
    } finally {
      setArchive({ settings, db: Promise.resolve(db), sync: null });
    }
  });

  // Before the chain test, which alters an archived entry.
  it("exports from the archive when it holds the window: the API's file, no upstream call, q included", async () => {
    const download = async (path: string) => {
      const response = await exportRoute(new Request(`http://localhost${path}`));
      return { status: response.status, text: await response.text() };
    };
    const path = `/api/logs/export?${WINDOW}&format=ndjson`;
    setArchive(null);
    const fromApi = await download(path);
    const refused = await download(`/api/logs/export?${WINDOW}&format=ndjson&q=cert-manager`);
    setArchive({ settings, db: Promise.resolve(db), sync: null });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text).errors[0].parameter).toBe("q");
    server.faults.reset();
    server.faults.set({ kind: "status", status: 500 });
    try {
      const archived = await download(path);
      expect(archived.status).toBe(200);
      expect(archived.text.split("\n").length).toBeGreaterThan(1000);
      expect(archived.text).toBe(fromApi.text);
      const searched = await download(`/api/logs/export?${WINDOW}&format=ndjson&q=cert-manager`);
      expect(searched.status).toBe(200);
      const lines = searched.text.trim().split("\n");
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line.toLowerCase()).toContain("cert-manager");
      expect(server.faults.requests).toHaveLength(0);
    } finally {
      server.faults.reset();
    }
  });

  it("chains the days' hashes, shows them, verifies them, and names the day of an altered entry", async () => {
    const status = await (await archiveRoute(new Request("http://localhost/api/archive"))).json();
    expect(status).toMatchObject({ state: "following", entries: SIZE, lastError: null, progress: 1 });
    expect(status.chain.days).toBeGreaterThan(30);
    const head = status.chain.head as { day: string; sha256: string };
    // A day is sealed only once the overlap after it has passed: NOW is noon, so the head is the day before.
    expect(head.day).toBe("2026-11-17");

    const dayAnswer = await dayRoute(new Request(`http://localhost/api/archive/days/${head.day}`), {
      params: Promise.resolve({ day: head.day }),
    });
    const day = await dayAnswer.json();
    expect(day.sha256).toBe(head.sha256);
    // The public rule, recomputed here from the stored entries.
    const rows = await db.query<{ id: string; raw: string }>(
      "select id, raw from archive_entries where day = $1::date",
      [head.day],
    );
    expect(day.entries).toBe(rows.length);
    const canonical = (v: unknown): string =>
      v === null || typeof v !== "object"
        ? JSON.stringify(v)
        : Array.isArray(v)
          ? `[${v.map(canonical).join(",")}]`
          : `{${Object.keys(v)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
              .join(",")}}`;
    const lines = rows
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((r) => `${canonical(JSON.parse(r.raw))}\n`)
      .join("");
    expect(createHash("sha256").update(`${day.previous}\n${lines}`).digest("hex")).toBe(head.sha256);

    const bad = await dayRoute(new Request("http://localhost/api/archive/days/2026-02-30"), {
      params: Promise.resolve({ day: "2026-02-30" }),
    });
    expect(bad.status).toBe(400);

    expect(await verifyChain(db)).toMatchObject({ ok: true });
    const [victim] = await db.query<{ id: string; day: string }>(
      "select id, day::text as day from archive_entries where day = '2026-11-02' limit 1",
    );
    await db.query(
      "update archive_entries set raw = replace(raw, '\"success\"', '\"failure\"') where id = $1",
      [victim.id],
    );
    expect(await verifyChain(db)).toMatchObject({ ok: false, day: "2026-11-02" });
  });

  it("answers views ending now as of the last sync pass while it is recent, then goes to the API", async () => {
    // The archive's last pass ended at NOW; the default interval is 60 s.
    const call = async (route: typeof statsRoute, path: string) => {
      const response = await route(new Request(`http://localhost${path}`));
      return { status: response.status, body: await response.json() };
    };
    server.faults.reset();
    server.faults.set({ kind: "status", status: 500 });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date(NOW.getTime() + 90_000));
      const logs = await callJson<{ data: { id: string }[]; meta: { source?: string; asOf?: string } }>(
        "/api/logs?range=24h&limit=20",
      );
      expect(logs.response.status).toBe(200);
      expect(logs.body.data.map((e) => e.id)).toStrictEqual(upstreamOrder.slice(0, 20));
      expect(logs.body.meta).toMatchObject({ source: "archive", asOf: NOW.toISOString() });
      const stats = await call(statsRoute, "/api/logs/stats?range=24h&buckets=24");
      expect(stats.status).toBe(200);
      expect(stats.body.coverage.complete).toBe(true);
      expect(stats.body.meta.asOf).toBe(NOW.toISOString());
      expect(server.faults.requests).toHaveLength(0);

      // Past the interval plus the margin the sync is behind: the view goes to the API (failing here).
      vi.setSystemTime(new Date(NOW.getTime() + 60_000 + FRESH_MARGIN_MS + 1000));
      const stale = await callJson("/api/logs?range=24h&limit=20");
      expect(stale.response.status).toBeGreaterThanOrEqual(500);
      expect(server.faults.requests.length).toBeGreaterThan(0);
    } finally {
      vi.useRealTimers();
      server.faults.reset();
    }
  });

  it("answers windows older than Cloudflare's retention from the archive, and refuses them without it", async () => {
    // A year and a half later, the archived window is past the 548 days Cloudflare keeps.
    const later = new Date(NOW.getTime() + 560 * 86_400_000);
    const before = await callJson<{ data: unknown[]; nextCursor: string }>(`/api/logs?${WINDOW}&limit=30`);
    server.faults.reset();
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(later);
      const first = await callJson<{ data: unknown[]; nextCursor: string; meta: { retainedSince?: string } }>(
        `/api/logs?${WINDOW}&limit=15`,
      );
      expect(first.response.status).toBe(200);
      expect(first.body.meta.retainedSince).toBe(new Date(later.getTime() - 548 * 86_400_000).toISOString());
      const second = await callJson<{ data: unknown[] }>(
        `/api/logs?${WINDOW}&limit=15&cursor=${first.body.nextCursor}`,
      );
      expect(second.response.status).toBe(200);
      expect([...first.body.data, ...second.body.data]).toStrictEqual(before.body.data);
      const stats = await statsRoute(new Request(`http://localhost/api/logs/stats?${WINDOW}&buckets=10`));
      expect(stats.status).toBe(200);
      expect((await stats.json()).coverage.complete).toBe(true);
      expect(server.faults.requests).toHaveLength(0);

      // A window the archive does not hold, or the archive off: Cloudflare's retention applies, a 400.
      const older = await callJson<{ errors: { parameter: string }[] }>(
        "/api/logs?since=2024-01-01T00:00:00Z&before=2024-02-01T00:00:00Z",
      );
      expect(older.response.status).toBe(400);
      expect(older.body.errors[0].parameter).toBe("since");
      setArchive(null);
      try {
        const off = await callJson<{ errors: { parameter: string }[] }>(`/api/logs?${WINDOW}`);
        expect(off.response.status).toBe(400);
        expect(off.body.errors[0].parameter).toBe("since");
        const offStats = await statsRoute(new Request(`http://localhost/api/logs/stats?${WINDOW}`));
        expect(offStats.status).toBe(400);
        const offCursor = await callJson<{ errors: { parameter: string }[] }>(
          `/api/logs?range=24h&limit=15&cursor=${first.body.nextCursor}`,
        );
        expect(offCursor.response.status).toBe(400);
      } finally {
        setArchive({ settings, db: Promise.resolve(db), sync: null });
      }
      expect(server.faults.requests).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("deletes whole days past ARCHIVE_RETENTION_DAYS and keeps their place in the chain", async () => {
    // Runs after the chain test altered an entry of 2026-11-02: pruning that day makes the chain whole again.
    expect(await verifyChain(db)).toMatchObject({ ok: false, day: "2026-11-02" });
    const keep14 = { ...settings, retentionDays: 14 };
    await new ArchiveSync({ db, config, settings: keep14, now: () => NOW }).runOnce();
    const [{ oldest }] = await db.query<{ oldest: string }>(
      "select min(day)::text as oldest from archive_entries",
    );
    expect(oldest).toBe("2026-11-04");
    const pruned = await db.query<{ day: string }>(
      "select day::text as day from archive_days where pruned order by day",
    );
    expect(pruned.at(-1)?.day).toBe("2026-11-03");
    expect(await verifyChain(db)).toMatchObject({ ok: true });
    // The archive no longer answers for the deleted days.
    server.faults.reset();
    await callJson(`/api/logs?since=2026-11-01T00:00:00Z&before=2026-11-10T00:00:00Z`);
    expect(server.faults.requests.length).toBeGreaterThan(0);
  });

  it("shows the archive's state and days to signed-in viewers only", async () => {
    useCloudflareMode(server.url, {
      AUTH_MODE: "basic",
      BASIC_AUTH_USER: "admin",
      BASIC_AUTH_PASSWORD: "correct horse battery",
    });
    try {
      const anonymous = await archiveRoute(new Request("http://localhost/api/archive"));
      expect(anonymous.status).toBe(401);
      const day = await dayRoute(new Request("http://localhost/api/archive/days/2026-11-17"), {
        params: Promise.resolve({ day: "2026-11-17" }),
      });
      expect(day.status).toBe(401);
      const basic = `Basic ${Buffer.from("admin:correct horse battery").toString("base64")}`;
      const signedIn = await archiveRoute(
        new Request("http://localhost/api/archive", { headers: { authorization: basic } }),
      );
      expect(signedIn.status).toBe(200);
    } finally {
      useCloudflareMode(server.url);
    }
  });

  it("answers { state: off } when the archive is off", async () => {
    setArchive(null);
    try {
      const body = await (await archiveRoute(new Request("http://localhost/api/archive"))).json();
      expect(body).toStrictEqual({ state: "off" });
    } finally {
      setArchive({ settings, db: Promise.resolve(db), sync: null });
    }
  });

  it("archives the v1 API too, and answers as v1 does", async () => {
    const parsed = parseConfig({
      AUDIT_LOGS_API: "v1",
      SANDBOX_NOW: NOW.toISOString(),
      SANDBOX_SIZE: "2000",
    });
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    const v1 = parsed.config;
    const v1db = await testDb();
    try {
      await new ArchiveSync({ db: v1db, config: v1, settings, now: () => NOW, pageSize: 300 }).runOnce();
      expect(await countEntries(v1db)).toBe(2000);
      for (const search of [`${WINDOW}&limit=25`, `${WINDOW}&limit=9&direction=asc&action_type=update`]) {
        const checked = validateSearch(new URLSearchParams(search), {
          api: "v1",
          now: NOW,
          accept: ["limit"],
        });
        if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
        const query = pickQuery(checked.value);
        const options = { cursor: null, limit: checked.value.limit, now: NOW };
        const api = await fetchLogPage(v1, query, options, transportOnly(v1));
        const archived = await readArchivePage(v1db, v1, query, options);
        expect(archived.covered && archived.page.data).toStrictEqual(api.data);
        expect(api.data.length).toBeGreaterThan(0);
      }
      // v1 hides user-level entries by fields its entries do not carry: such a query goes to the API.
      const hidden = validateSearch(new URLSearchParams(`${WINDOW}&hide_user_logs=true`), {
        api: "v1",
        now: NOW,
      });
      if (!hidden.ok) throw new Error(JSON.stringify(hidden.errors));
      const answer = await readArchivePage(v1db, v1, pickQuery(hidden.value), {
        cursor: null,
        limit: 10,
        now: NOW,
      });
      expect(answer).toMatchObject({ covered: false, reason: expect.stringMatching(/hide_user_logs/) });
    } finally {
      await v1db.close();
    }
  }, 30_000);
});
