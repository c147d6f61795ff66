import { describe, expect, it } from "vitest";
import type { AuditLog } from "@/lib/audit-log";
import { pivotHref, pivotsFor, pivotWindow } from "@/lib/pivot";
import { loadSearchParams, validateSearch } from "@/lib/search-params";

const person = {
  id: "e-1",
  time: "2026-11-25T11:30:00Z",
  actorEmail: "alice@acme.com",
  actorId: "u1",
  actorTokenId: null,
  actorIp: "203.0.113.9",
  resourceId: "r-9",
  rayId: "8a1b2c3d4e5f6a7b",
} as unknown as AuditLog;
const token = { ...person, actorEmail: null, actorTokenId: "tok-1" } as unknown as AuditLog;
const view = { columns: loadSearchParams("").columns, tz: "utc" as const };

describe("pivots around an entry", () => {
  it("offer the actor by email, else by API token id, the IP, the resource and the Ray ID", () => {
    expect(pivotsFor(person, "v2").map((p) => [p.id, p.param, p.value])).toEqual([
      ["actor", "actor_email", "alice@acme.com"],
      ["ip", "actor_ip_address", "203.0.113.9"],
      ["resource", "resource_id", "r-9"],
      ["ray", "raw_cf_ray_id", "8a1b2c3d4e5f6a7b"],
    ]);
    expect(pivotsFor(token, "v2")[0]).toMatchObject({ param: "actor_token_id", value: "tok-1" });
  });

  it("offer only what v1 can filter on", () => {
    expect(pivotsFor(person, "v1").map((p) => p.param)).toEqual(["actor_email", "actor_ip_address"]);
    expect(pivotsFor(token, "v1").map((p) => p.param)).toEqual(["actor_ip_address"]);
  });

  it("pin the window either side of the entry, the entry itself included", () => {
    expect(pivotWindow(person.time, "5m")).toEqual({
      since: "2026-11-25T11:25:00Z",
      before: "2026-11-25T11:35:01Z",
    });
    expect(pivotWindow(person.time, "24h").since).toBe("2026-11-24T11:30:00Z");
  });

  it("link to a URL the page accepts: one filter, the pinned window, the entry open", () => {
    const [actor] = pivotsFor(person, "v2");
    const href = pivotHref(person, actor, "1h", view);
    const params = new URL(href, "http://x").searchParams;
    expect(Object.fromEntries(params)).toEqual({
      since: "2026-11-25T10:30:00Z",
      before: "2026-11-25T12:30:01Z",
      actor_email: "alice@acme.com",
      log: "e-1",
    });
    expect(validateSearch(params, { api: "v2", now: new Date("2026-11-25T12:00:00Z") }).ok).toBe(true);
  });

  it("keep the view's widths and density", () => {
    const [actor] = pivotsFor(person, "v2");
    const href = pivotHref(person, actor, "1h", { ...view, widths: { actorEmail: 300 }, density: "compact" });
    const params = new URL(href, "http://x").searchParams;
    expect(params.get("widths")).toBe("actorEmail:300");
    expect(params.get("density")).toBe("compact");
  });
});
