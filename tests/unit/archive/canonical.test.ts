import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/server/archive/canonical";

describe("canonical JSON (RFC 8785)", () => {
  it("sorts keys by UTF-16 code units, drops whitespace, and writes numbers and strings as ECMAScript does", () => {
    expect(
      canonicalJson({ b: [1, { z: null, a: "x" }], a: 1e21, "€": "\u0000", "\ud83d\ude00": 0.1, "": true }),
    ).toBe('{"":true,"a":1e+21,"b":[1,{"a":"x","z":null}],"€":"\\u0000","\ud83d\ude00":0.1}');
  });
});
