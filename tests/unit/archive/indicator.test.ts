import { afterEach, describe, expect, it, vi } from "vitest";

// React Query polls only in a browser (it reads `window` when loaded): this file plays one.
vi.hoisted(() => Object.assign(globalThis, { window: globalThis }));

const { QueryClient, QueryObserver } = await import("@tanstack/react-query");
const { ARCHIVE_POLL_MS, archiveStatusQueryOptions, describeArchive } =
  await import("@/components/log-explorer/archive-indicator");

function serve(...bodies: object[]) {
  const fetch = vi.fn(async () => Response.json(bodies.length > 1 ? bodies.shift() : bodies[0]));
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

/** Watch the header's query as the component would, for `ms` of fake time. */
async function watch(enabled: boolean, ms: number) {
  const client = new QueryClient();
  const observer = new QueryObserver(client, archiveStatusQueryOptions(enabled));
  const stop = observer.subscribe(() => {});
  await vi.advanceTimersByTimeAsync(ms);
  stop();
  client.clear();
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("archive header indicator", () => {
  it("says backfilling with progress, following with lag, paused and error", () => {
    expect(describeArchive({ state: "backfilling", progress: 0.426, entries: 1200 })).toMatchObject({
      label: "Archive 42%",
    });
    expect(describeArchive({ state: "following", lagSeconds: 75, entries: 5 })).toMatchObject({
      label: "Archive · 75 s behind",
      tone: "success",
    });
    expect(describeArchive({ state: "following", lagSeconds: 600 })?.label).toBe("Archive · 10 min behind");
    expect(describeArchive({ state: "paused", lastError: "rate limited" })).toMatchObject({
      label: "Archive paused",
      title: expect.stringContaining("rate limited"),
    });
    expect(describeArchive({ state: "error", lastError: "disk full" })).toMatchObject({
      tone: "danger",
      title: expect.stringContaining("disk full"),
    });
    expect(describeArchive({ state: "off" })).toBeNull();
  });

  it("polls every 30 s while on, never when the page knows it is off, and stops when told off", async () => {
    vi.useFakeTimers();
    const following = serve({ state: "following", lagSeconds: 12 });
    await watch(true, ARCHIVE_POLL_MS * 3 + 1000);
    expect(following).toHaveBeenCalledTimes(4);

    const never = serve({ state: "following" });
    await watch(false, ARCHIVE_POLL_MS * 3);
    expect(never).not.toHaveBeenCalled();

    const off = serve({ state: "off" });
    await watch(true, ARCHIVE_POLL_MS * 3);
    expect(off).toHaveBeenCalledTimes(1);
  });
});
