import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadQuery } from "@/lib/search-params";
import type { Viewer } from "@/lib/server/auth";
import { statusResponse } from "@/lib/server/export-manifest-route";
import { ManifestWriter, mintExportId, readExportStatus } from "@/lib/server/export-manifest";
import { getValueStore, resetValueStore } from "@/lib/server/manifest-store";
import { testConfig } from "../server/fake-upstream";

const NOW = new Date("2026-11-20T12:00:00Z");
const config = testConfig();
const alice: Viewer = { id: "alice@example.com", email: "alice@example.com", method: "access" };
const bob: Viewer = { id: "bob@example.com", email: "bob@example.com", method: "access" };

async function open() {
  return ManifestWriter.open(getValueStore(config), null, {
    config,
    viewer: alice,
    query: loadQuery(new URLSearchParams({ range: "1d" })),
    window: { since: "2026-11-19T12:00:00Z", before: NOW.toISOString() },
    format: "ndjson",
    columns: [],
    deadlineMs: 60_000,
  });
}

const status = (viewer = alice, id: string) => readExportStatus(getValueStore(config), viewer, id);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
  resetValueStore();
});
afterEach(() => vi.useRealTimers());

describe("export status", () => {
  it("says the rows sent so far, and when the export is paused for the API budget", async () => {
    const writer = await open();
    expect(await status(alice, writer.id)).toStrictEqual({ state: "running", rows: 0, pausedUntil: null });
    writer.add(new TextEncoder().encode("{}\n{}\n{}\n"), 3);
    writer.progress();
    await vi.waitFor(async () => expect((await status(alice, writer.id))?.rows).toBe(3));

    const pausedAt = Date.now();
    writer.paused(30_000);
    await vi.waitFor(async () =>
      expect(await status(alice, writer.id)).toStrictEqual({
        state: "running",
        rows: 3,
        pausedUntil: new Date(pausedAt + 30_000).toISOString(),
      }),
    );
    // Once the pause is over, it is no longer reported, even before the next progress write.
    vi.setSystemTime(pausedAt + 31_000);
    expect((await status(alice, writer.id))?.pausedUntil).toBeNull();

    await writer.finish("complete");
    expect(await status(alice, writer.id)).toStrictEqual({
      state: "done",
      rows: 3,
      pausedUntil: null,
      complete: true,
    });
  });

  it("is shown to the viewer who exported only", async () => {
    const writer = await open();
    expect(await status(bob, writer.id)).toBeNull();
    const response = await statusResponse(config, bob, writer.id, "r1");
    expect(response.status).toBe(404);
  });

  it("an id the check handed out is starting, not unknown, until its download begins", async () => {
    // The browser asks for progress as soon as it starts the download: a 404 then would be a false alarm.
    const id = await mintExportId(getValueStore(config), alice);
    expect(await status(alice, id)).toStrictEqual({ state: "starting", rows: 0, pausedUntil: null });
    const response = await statusResponse(config, alice, id, "r0");
    expect(response.status).toBe(200);
    // Still nobody else's business.
    expect(await status(bob, id)).toBeNull();
    expect((await statusResponse(config, bob, id, "r0")).status).toBe(404);
  });

  it("a late progress write never replaces the manifest", async () => {
    const writer = await open();
    writer.add(new TextEncoder().encode("{}\n"), 1);
    writer.paused(5_000);
    await writer.finish("complete");
    await vi.waitFor(async () => expect((await status(alice, writer.id))?.state).toBe("done"));
    await vi.advanceTimersByTimeAsync(10);
    expect((await status(alice, writer.id))?.state).toBe("done");
  });

  it("answers 400 naming the id for a malformed id, and the status as JSON otherwise", async () => {
    const bad = await statusResponse(config, alice, "not-an-id", "r2");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(await bad.text()).toContain("id");
    const writer = await open();
    const ok = await statusResponse(config, alice, writer.id, "r3");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ state: "running", rows: 0 });
  });
});
