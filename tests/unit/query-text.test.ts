import { describe, expect, it } from "vitest";
import { formatQueryText, parseQueryText, quoteValue, tokenize } from "@/lib/query-text";
import { activeFilters, loadQuery } from "@/lib/search-params";

const EXAMPLE =
  "actor_email:alice@acme.com -action_type:delete actor_ip_address:203.0.113.0/24 action_result:failure";

function active(text: string, api: "v1" | "v2" = "v2") {
  const result = parseQueryText(text, api);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return activeFilters(result.filters).map(({ key, values }) => [key, values]);
}

describe("query text", () => {
  it("reads the four-term example into four filters, one excluded", () => {
    expect(active(EXAMPLE)).toEqual([
      ["action_type.not", ["delete"]],
      ["action_result", ["failure"]],
      ["actor_email", ["alice@acme.com"]],
      ["actor_ip_address", ["203.0.113.0/24"]],
    ]);
  });

  it("accepts the short aliases", () => {
    expect(
      active("email:a@x.com ip:198.51.100.7 type:update result:success product:Access resource:Application"),
    ).toEqual([
      ["action_type", ["update"]],
      ["action_result", ["success"]],
      ["actor_email", ["a@x.com"]],
      ["actor_ip_address", ["198.51.100.7"]],
      ["resource_type", ["Application"]],
      ["resource_product", ["Access"]],
    ]);
  });

  it("ORs values by repeating a field or with commas, each value once", () => {
    expect(active("type:create,update type:delete type:update")).toEqual([
      ["action_type", ["create", "update", "delete"]],
    ]);
  });

  it("keeps quoted values whole, spaces, commas and escaped quotes included", () => {
    expect(active('resource:"DNS record" zone_name:"a,b.com" raw_uri:"/x \\"y\\""')).toEqual([
      ["resource_type", ["DNS record"]],
      ["zone_name", ["a,b.com"]],
      ["raw_uri", ['/x "y"']],
    ]);
    expect(tokenize('a:"b c" d:e').map((t) => t.text)).toEqual(['a:"b c"', "d:e"]);
  });

  it("reads enum values by their label or in any case", () => {
    expect(active("type:Delete result:FAILURE")).toEqual([
      ["action_type", ["delete"]],
      ["action_result", ["failure"]],
    ]);
  });

  it("refuses each wrong term, naming it", () => {
    const result = parseQueryText("colour:red email:not-an-email status:abc hello -product_category:x", "v2");
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => e.term)).toEqual([
      "colour:red",
      "email:not-an-email",
      "status:abc",
      "hello",
      "-product_category:x",
    ]);
    expect(errors[0].message).toContain("colour");
    expect(errors[1].message).toContain("email:not-an-email");
    expect(parseQueryText('zone:"open', "v2")).toEqual({
      ok: false,
      errors: [{ term: 'zone:"open', message: expect.stringContaining("quote") }],
    });
  });

  it("applies v1's limits: no exclusions, no fields v1 lacks, one value", () => {
    expect(active("email:a@x.com type:create", "v1")).toEqual([
      ["action_type", ["create"]],
      ["actor_email", ["a@x.com"]],
    ]);
    const result = parseQueryText("-email:a@x.com result:failure type:a,b", "v1");
    expect(result.ok ? [] : result.errors.map((e) => e.term)).toEqual([
      "-email:a@x.com",
      "result:failure",
      "action_type",
    ]);
  });

  it("names every filter key, empty when not mentioned, so applying replaces the old filters", () => {
    const result = parseQueryText("", "v2");
    expect(result.ok && result.filters.actor_email).toEqual([]);
    expect(result.ok && result.filters["action_type.not"]).toEqual([]);
  });

  it("writes filters back as the same text, and reads its own text back to the same filters", () => {
    const query = loadQuery(
      "?actor_email=alice%40acme.com&action_type.not=delete&actor_ip_address=203.0.113.0%2F24&action_result=failure",
    );
    const text = formatQueryText(query);
    expect(text).toBe(
      "-action_type:delete action_result:failure actor_email:alice@acme.com actor_ip_address:203.0.113.0/24",
    );
    const hostile = loadQuery(
      `?raw_uri=${encodeURIComponent('/a b,"c"\\d')}&zone_name=x.com&zone_name=y.com&resource_type=${encodeURIComponent("DNS record")}`,
    );
    for (const q of [query, hostile]) {
      const back = parseQueryText(formatQueryText(q), "v2");
      expect(back.ok && activeFilters(back.filters)).toEqual(activeFilters(q));
    }
    expect(quoteValue("plain")).toBe("plain");
    expect(quoteValue('a "b"')).toBe('"a \\"b\\""');
  });
});
