import { describe, expect, it } from "vitest";
import { actorOf, createStatsAccumulator, planStatsWindow, topN } from "@/lib/stats";
import { NOW, entry, query } from "./fixtures";

const META = { api: "v2", mode: "sandbox" } as const;

describe("top values", () => {
  it("orders by count descending, then value ascending by code unit (deterministic)", () => {
    const counts = new Map([
      ["b", 3],
      ["a", 3],
      ["Z", 3],
      ["c", 5],
      ["é", 3],
      ["d", 1],
    ]);
    expect(topN(counts, 5)).toEqual([
      { value: "c", count: 5 },
      { value: "Z", count: 3 },
      { value: "a", count: 3 },
      { value: "b", count: 3 },
      { value: "é", count: 3 },
    ]);
    // Same answer whatever order the counts were gathered in.
    expect(topN(new Map([...counts].reverse()), 5)).toEqual(topN(counts, 5));
  });

  it("identifies an actor by email, else actor ID, else token name", () => {
    expect(actorOf(entry(0, { actorEmail: "a@x.com", actorId: "u1" }))).toEqual({
      param: "actor_email",
      value: "a@x.com",
    });
    expect(actorOf(entry(0, { actorEmail: null, actorId: "u1", actorTokenName: "ci" }))).toEqual({
      param: "actor_id",
      value: "u1",
    });
    expect(actorOf(entry(0, { actorEmail: null, actorId: null, actorTokenName: "ci" }))).toEqual({
      param: "actor_token_name",
      value: "ci",
    });
    expect(actorOf(entry(0, { actorEmail: null, actorId: null, actorTokenName: null }))).toBeNull();
  });

  it("counts unique actors and the top five of each dimension, skipping empty values", () => {
    const acc = createStatsAccumulator(planStatsWindow(query("range=24h"), NOW));
    const t = NOW.getTime() - 60_000;
    const people = ["a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com", "f@x.com"];
    people.forEach((email, i) => {
      for (let n = 0; n <= i; n++)
        acc.add(entry(t, { actorEmail: email, actorIp: `10.0.0.${i}`, resourceProduct: null }));
    });
    acc.add(entry(t, { actorEmail: null, actorId: "svc-1" }));
    acc.add(entry(t, { actorEmail: null, actorId: null, actorTokenName: "terraform" }));
    acc.add(entry(t, { actorEmail: null, actorId: null, actorTokenName: null, actionType: "delete" }));
    const out = acc.finish(true, META);
    expect(out.totals.uniqueActors).toBe(8);
    expect(out.top.actors).toEqual([
      { value: "f@x.com", count: 6, param: "actor_email" },
      { value: "e@x.com", count: 5, param: "actor_email" },
      { value: "d@x.com", count: 4, param: "actor_email" },
      { value: "c@x.com", count: 3, param: "actor_email" },
      { value: "b@x.com", count: 2, param: "actor_email" },
    ]);
    expect(out.top.products).toEqual([{ value: "Access", count: 3 }]);
    expect(out.top.actionTypes).toEqual([
      { value: "update", count: 23 },
      { value: "delete", count: 1 },
    ]);
    expect(out.top.ips.map((i) => i.value)).toEqual([
      "10.0.0.5",
      "10.0.0.4",
      "10.0.0.3",
      "10.0.0.2",
      "198.51.100.7", // ties with 10.0.0.2 at 3 and sorts after it
    ]);
    expect(out.top.ips.map((i) => i.count)).toEqual([6, 5, 4, 3, 3]);
  });

  it("keeps the same value under different actor fields apart", () => {
    const acc = createStatsAccumulator(planStatsWindow(query("range=24h"), NOW));
    const t = NOW.getTime() - 60_000;
    acc.add(entry(t, { actorEmail: null, actorId: "same" }));
    acc.add(entry(t, { actorEmail: null, actorId: null, actorTokenName: "same" }));
    acc.add(entry(t, { actorEmail: null, actorId: null, actorTokenName: "same" }));
    const out = acc.finish(true, META);
    expect(out.totals.uniqueActors).toBe(2);
    expect(out.top.actors).toEqual([
      { value: "same", count: 2, param: "actor_token_name" },
      { value: "same", count: 1, param: "actor_id" },
    ]);
  });
});

describe("values new to this dashboard", () => {
  it("are counted with their filter: a new result, actor type and context; v1's actor types are known", () => {
    const acc = createStatsAccumulator(planStatsWindow(query("range=24h"), NOW));
    const t = "2026-11-21T10:00:00Z";
    acc.add(entry(t, { actionResult: "partial" }));
    acc.add(entry(t, { actionResult: "partial" }));
    acc.add(entry(t, { actorType: "robot", actorContext: "workers_binding" }));
    acc.add(entry(t, { actorType: "admin" }));
    acc.add(entry(t, { actorType: "Cloudflare", actorContext: "api_token" }));
    const out = acc.finish(true, META);
    expect(out.top.unrecognised).toEqual([
      { value: "partial", count: 2, param: "action_result" },
      { value: "workers_binding", count: 1, param: "actor_context" },
      { value: "robot", count: 1, param: "actor_type" },
    ]);
    expect(out.totals.other).toBe(2);
  });
});
