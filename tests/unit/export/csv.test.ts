import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_COLUMNS, FIELDS, type FieldId } from "@/lib/audit-log";
import {
  CSV_BOM,
  FORMULA_TRIGGERS,
  columnValue,
  csvCells,
  csvHeader,
  csvRecord,
  csvRows,
  isFormulaTrigger,
  neutralizeCell,
  quoteField,
  toCell,
  toIsoUtc,
} from "@/lib/csv";
import { makeLog } from "./fixtures";
import { DANGEROUS_CELL, naiveRead } from "./spreadsheet-reader";

/** The record for a single cell, without its CRLF. */
const cell = (value: unknown) => csvRecord([value]).slice(0, -2);
const parseCsv = (text: string): string[][] => parse(text, { bom: true, relax_column_count: false });
const withoutApostrophes = (value: string) => value.replaceAll("'", "");

describe("neutralizeCell", () => {
  it.each([
    ["=1+2", "'=1+2"],
    ["+1", "'+1"],
    ["-1+1", "'-1+1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r'=1"],
    ["\n=1", "'\n'=1"],
    ["\0=1", "'\0=1"],
    ["\uFF1D1+2", "'\uFF1D1+2"],
    ["\uFF0B1", "'\uFF0B1"],
    ["\uFF0D1", "'\uFF0D1"],
    ["\uFF20SUM(A1)", "'\uFF20SUM(A1)"],
    ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["plain", "plain"],
    ["a=b", "a=b"],
    [" =1", "' =1"],
    ["  =1", "'  =1"],
    ["\u00a0+1", "'\u00a0+1"],
    [" a", " a"],
    ["x;=cmd|' /C calc'!A0", "x;'=cmd|' /C calc'!A0"],
    ['x; "@SUM(A1)', "x;' \"@SUM(A1)"],
    ["a;b", "a;b"],
    ["a,-1", "a,-1"],
    ["a\r\n-1,=2", "a\r\n'-1,'=2"],
    ["line\n+1", "line\n'+1"],
    ["", ""],
    ["'=already", "'=already"],
  ])("%j → %j", (input, expected) => {
    expect(neutralizeCell(input)).toBe(expected);
  });

  it("knows exactly the twelve triggers", () => {
    expect([...FORMULA_TRIGGERS].sort()).toEqual(
      ["=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠"].sort(),
    );
  });
});

describe("csv cells (neutralized and RFC 4180 quoted)", () => {
  it.each<[string, unknown, string]>([
    ["OWASP's example", '=1+2";=1+2', `"'=1+2"";'=1+2"`],
    ["equals", "=1+2", "'=1+2"],
    ["plus", "+1", "'+1"],
    ["minus", "-1+1", "'-1+1"],
    ["at", "@SUM(A1)", "'@SUM(A1)"],
    ["tab", "\t=1", "'\t=1"],
    ["leading CR", "\r=1", `"'\r'=1"`],
    ["leading LF", "\n=1", `"'\n'=1"`],
    ["NUL", "\0=1", "'\0=1"],
    ["full-width equals", "＝1+2", "'＝1+2"],
    ["full-width plus", "＋1", "'＋1"],
    ["full-width minus", "－1", "'－1"],
    ["full-width at", "＠SUM(A1)", "'＠SUM(A1)"],
    ["HYPERLINK", '=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["DDE", "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["comma", "a,b", `"a,b"`],
    ["quote", 'a"b', `"a""b"`],
    ["bare LF", "a\nb", `"a\nb"`],
    ["bare CR", "a\rb", `"a\rb"`],
    ["CRLF", "a\r\nb", `"a\r\nb"`],
    ["a formula after a semicolon", "a;=1", "a;'=1"],
    ["non-Latin text", "Zürich 東京 🌐", "Zürich 東京 🌐"],
    ["null", null, ""],
    ["undefined", undefined, ""],
    ["status number", 200, "200"],
    ["negative number", -5, "-5"],
    ["zero", 0, "0"],
    ["NaN", Number.NaN, ""],
    ["boolean", true, "true"],
    ["object as JSON", { a: "x,y" }, `"{""a"":""x,y""}"`],
    ["JSON starting with a trigger is neutralized", "-", "'-"],
  ])("%s", (_name, input, expected) => {
    expect(cell(input)).toBe(expected);
  });

  it("never prefixes numbers", () => {
    expect(toCell(-5)).toBe(-5);
    expect(toCell(200)).toBe(200);
  });

  it("quotes only what RFC 4180 requires", () => {
    expect(quoteField("abc")).toBe("abc");
    expect(quoteField("")).toBe("");
    expect(quoteField(" a ")).toBe(" a ");
  });

  it("ends records with CRLF", () => {
    expect(csvRecord(["a", 1, null])).toBe("a,1,\r\n");
  });

  it("neutralizes a header cell that begins with -", () => {
    expect(csvRecord(["-Label", "Name"])).toBe("'-Label,Name\r\n");
  });

  it("turns isFormulaTrigger on the first character after leading whitespace", () => {
    expect(isFormulaTrigger("a=")).toBe(false);
    expect(isFormulaTrigger("")).toBe(false);
    expect(isFormulaTrigger("=")).toBe(true);
    expect(isFormulaTrigger("   @x")).toBe(true);
    expect(isFormulaTrigger(" x=")).toBe(false);
  });
});

describe("csv round trip", () => {
  const hostile = [
    '=1+2";=1+2',
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "\n=1",
    "\0=1",
    "＝1+2",
    "a,b",
    'a"b',
    "a\nb",
    "a\rb",
    "a\r\nb",
    "",
    "ok",
  ];

  it("keeps the column count and the neutralized values through csv-parse", () => {
    const text = csvRecord(["-h", "h2", "h3"]) + hostile.map((v) => csvRecord([v, 200, null])).join("");
    const rows = parseCsv(text);
    expect(rows).toHaveLength(hostile.length + 1);
    expect(rows[0]).toEqual(["'-h", "h2", "h3"]);
    rows.slice(1).forEach((row, i) => {
      expect(row).toEqual([neutralizeCell(hostile[i]), "200", ""]);
      expect(withoutApostrophes(row[0])).toBe(withoutApostrophes(hostile[i]));
    });
    for (const row of rows) for (const c of row) expect(isFormulaTrigger(c)).toBe(false);
  });

  it("property: random strings come back neutralized, changed by inserted apostrophes only", () => {
    const piece = fc.constantFrom(...Array.from("=+-@\t\r\n\0＝＋－＠,\"';a Z9é東🌐"), "\r\n", "");
    // Well-formed Unicode only: UTF-8 (csv-parse, like the response encoder) turns a lone surrogate into U+FFFD.
    const value = fc.oneof(
      fc.string(),
      fc.array(piece).map((p) => p.join("")),
      fc.string({ unit: "grapheme" }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        (rows) => {
          const parsed = parseCsv(CSV_BOM + rows.map((r) => csvRecord(r)).join(""));
          expect(parsed).toHaveLength(rows.length);
          parsed.forEach((row, i) => {
            expect(row).toEqual(csvCells(rows[i]));
            expect(row.map(withoutApostrophes)).toEqual(rows[i].map(withoutApostrophes));
            for (const c of row) expect(isFormulaTrigger(c)).toBe(false);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: identical to csv-stringify with CRLF records and quoted_match /[\\r\\n]/", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: "binary" }), fc.integer(), fc.constant(null)), { minLength: 1 }),
        (values) => {
          const oracle = stringify([csvCells(values)], {
            record_delimiter: "windows",
            quoted_match: /[\r\n]/,
          });
          expect(csvRecord(values)).toBe(oracle);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("spreadsheet locales: the file read with , or ; by a reader that honours quotes only at a cell's start", () => {
  const hostile = [
    "x;=cmd|' /C calc'!A0",
    "\n=1",
    "\r=1",
    "  =1",
    "\t=1",
    "a;b\r\n;-1",
    'x;"=1',
    'x;""=1',
    "x; \t=1",
    "line one\nb,=1",
    'line one\nb,"+1',
    "a\r+1;@2\n-3",
    "\uFF1D1;\uFF0B2",
    '=1+2";=1+2',
  ];
  const readings = (text: string) => ({
    "csv-parse with ,": parseCsv(text),
    "naive ,": naiveRead(text, ","),
    "naive ;": naiveRead(text, ";"),
  });
  const dangerous = (rows: string[][]) => rows.flat().filter((c) => DANGEROUS_CELL.test(c));

  it("the naive reader finds the formula in an unprotected file, as Excel would", () => {
    // The reader itself must see the attack, or the tests below prove nothing.
    const unprotected = "a,x;=cmd|' /C calc'!A0\r\n" + 'b,"\n=1"\r\n';
    expect(dangerous(naiveRead(unprotected, ";"))).toEqual(["=cmd|' /C calc'!A0", '=1"']);
    expect(dangerous(naiveRead(unprotected, ","))).toEqual(['=1"']);
  });

  it.each(hostile)("%j starts no cell with a trigger, read either way", (value) => {
    const text = CSV_BOM + csvRecord(["h1", "h2", "h3"]) + csvRecord(["ok", value, value]);
    for (const [reading, rows] of Object.entries(readings(text))) {
      expect({ reading, cells: dangerous(rows) }).toEqual({ reading, cells: [] });
    }
    expect(parseCsv(text)[1]).toEqual(["ok", neutralizeCell(value), neutralizeCell(value)]);
  });

  it("the exported rows of every hostile value start no cell with a trigger, read either way", () => {
    const rows = hostile.map((v, i) => makeLog({ id: `log-${i}`, actorEmail: v, actionType: v, uri: v }));
    const columns: FieldId[] = ["id", "actorEmail", "actionType", "uri"];
    const text = CSV_BOM + csvHeader(columns) + csvRows(rows, columns);
    for (const [reading, parsed] of Object.entries(readings(text))) {
      expect({ reading, cells: dangerous(parsed) }).toEqual({ reading, cells: [] });
    }
  });

  it("property: no reading of random rows starts a cell with a trigger", () => {
    const piece = fc.constantFrom(
      ...Array.from("=+-@\t\r\n\0＝＋－＠,;\"' \u00a0aZ9é"),
      "\r\n",
      "",
      "cmd|' /C calc'!A0",
    );
    const value = fc.oneof(
      fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
      fc.string(),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        (rows) => {
          const text = CSV_BOM + rows.map((r) => csvRecord(r)).join("");
          for (const parsed of Object.values(readings(text))) expect(dangerous(parsed)).toEqual([]);
          const strict = parseCsv(text);
          expect(strict.map((r) => r.map(withoutApostrophes))).toEqual(
            rows.map((r) => r.map(withoutApostrophes)),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("rows and headers", () => {
  it("uses the field labels for the default columns", () => {
    expect(csvHeader(DEFAULT_COLUMNS)).toBe(
      "Action timestamp,Action type,Action result,Actor email,Actor IP address,Actor type,Resource type,Resource product,Resource\r\n",
    );
  });

  it("labels every field", () => {
    const all = FIELDS.map((f) => f.id) as FieldId[];
    expect(parseCsv(csvHeader(all))[0]).toEqual(FIELDS.map((f) => f.label));
  });

  it("serializes the chosen columns in order, numbers unprefixed, JSON as JSON", () => {
    const log = makeLog({ statusCode: 200, newValue: { name: "=x", ttl: 1 }, actorEmail: null });
    const text = csvRows([log], ["statusCode", "newValue", "actorEmail", "id"]);
    expect(text).toBe(`200,"{""name"":""=x"",""ttl"":1}",,log-1\r\n`);
  });

  it("neutralizes JSON text that starts with a trigger", () => {
    expect(csvRows([makeLog({ metadata: -1 })], ["metadata"])).toBe("'-1\r\n");
  });

  it("prints timestamps as ISO 8601 UTC", () => {
    expect(columnValue(makeLog({ time: "2026-11-01T10:00:00.123456Z" }), "time")).toBe(
      "2026-11-01T10:00:00.123456Z",
    );
    expect(columnValue(makeLog({ time: "2026-11-01T12:00:00+02:00" }), "time")).toBe(
      "2026-11-01T10:00:00.000Z",
    );
    expect(toIsoUtc("not a date")).toBe("not a date");
  });
});
