import fc from "fast-check";
import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { getFilter } from "@/lib/audit-log";
import { checkFilterValue, parseInstant } from "@/lib/search-params";

// The URL model checks values with zod's format patterns written out, without zod (which would weigh on
// the browser's first bundle): these tests hold it to what zod's schemas decide.
const ip = getFilter("actor_ip_address")!;
const email = getFilter("actor_email")!;
const zodIp = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);

const IPS = [
  "198.51.100.7",
  "10.0.0.0/8",
  "0.0.0.0/0",
  "203.0.113.0/24",
  "255.255.255.255",
  "256.1.1.1",
  "10.0.0.0/32",
  "10.0.0.0/0",
  "1.2.3.4/33",
  "1.2.3",
  "01.2.3.4",
  "::1",
  "::",
  "2001:db8::/32",
  "2001:db8::1/128",
  "2001:db8::1/129",
  "2001:db8::1/01",
  "2001:db8::1/",
  "2001:db8::1/64/1",
  "::ffff:192.0.2.1",
  "64:ff9b::192.0.2.33/96",
  "fe80::1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8:9",
  "gggg::1",
  "::@1\\",
  "::1\n",
  "[::1]",
  "",
  "not an address",
];

const EMAILS = [
  "alice@example.com",
  "alice.moreau@acme.com",
  "a+tag@sub.example.co",
  "alice@",
  "@example.com",
  "alice@example",
  "alice example@example.com",
  "alice..moreau@example.com",
];

describe("filter value formats", () => {
  it.each(IPS)("an IP filter decides %j as zod's IP and CIDR schemas do", (value) => {
    const accepted = value !== "" && zodIp.safeParse(value).success;
    expect(checkFilterValue(ip, value) === null).toBe(accepted);
  });

  it.each(EMAILS)("an email filter decides %j as zod's email schema does", (value) => {
    expect(checkFilterValue(email, value) === null).toBe(z.email().safeParse(value).success);
  });

  it("decides generated addresses, ranges and near misses as zod does", () => {
    const piece = fc.oneof(
      fc.constantFrom("0", "1", "01", "9", "10", "99", "100", "199", "249", "255", "256", "300"),
      fc.stringMatching(/^[0-9a-fA-F]{1,5}$/),
      fc.constantFrom(":", "::", ".", "/", "/8", "/24", "/32", "/33", "/64", "/128", "/129", "%", "g"),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (pieces) => {
        const value = pieces.join("");
        expect(checkFilterValue(ip, value) === null).toBe(zodIp.safeParse(value).success);
      }),
      { numRuns: 3000, seed: 19 },
    );
  });

  it("refuses an address that only a lenient URL parser would read as IPv6", () => {
    expect(checkFilterValue(ip, "::@1\\")).toMatch(/IPv4 or IPv6/);
    expect(checkFilterValue(ip, "2001:db8::1/129")).toMatch(/IPv4 or IPv6/);
    expect(checkFilterValue(ip, "2001:db8::/32")).toBeNull();
  });

  it.each([
    ["2026-11-25", "2026-11-25T00:00:00.000Z"],
    ["2026-11-25T12:00:00Z", "2026-11-25T12:00:00.000Z"],
    ["2026-11-25T12:00:00.5+02:00", "2026-11-25T10:00:00.500Z"],
    ["2026-11-25T12:00Z", null],
    ["2026-11-25T12:00:00", null],
    ["2026-13-40", null],
    ["2026-11-25T24:00:00Z", null],
    ["2026-11-25T12:00:00+2:00", null],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2000-02-29", "2000-02-29T00:00:00.000Z"],
    ["1900-02-29", null],
    ["2026-02-29", null],
    ["2026-04-31", null],
    ["2026-11-25T23:59:59.123456-05:30", "2026-11-26T05:29:59.123Z"],
  ])("parseInstant(%j) is %j", (value, expected) => {
    expect(parseInstant(value)?.toISOString() ?? null).toBe(expected);
    const zodAccepts =
      z.iso.date().safeParse(value).success || z.iso.datetime({ offset: true }).safeParse(value).success;
    expect(zodAccepts).toBe(expected !== null);
  });
});
