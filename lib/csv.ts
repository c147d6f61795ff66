/**
 * CSV serialization of audit-log rows: formula neutralization (OWASP CSV injection, ASVS V1.2.10) and
 * RFC 4180 quoting with CRLF records. Pure, dependency-free, and the same in Node and the browser.
 *
 * Quoting is written out here rather than taken from csv-stringify: the rule is one regular expression,
 * csv-stringify leaves bare CR/LF unquoted under `record_delimiter: "windows"` unless configured
 * otherwise, needs Node's `Buffer`, and was about four times slower per page in a measurement. The unit
 * tests check this module byte for byte against csv-stringify and round-trip it through csv-parse.
 */
import { getField, type AuditLog, type FieldId } from "./audit-log";

/** UTF-8 byte order mark: Excel reads a CSV as UTF-8 only when the file starts with it. */
export const CSV_BOM = "\uFEFF";

/** RFC 4180 §2.1 record terminator. */
export const CSV_RECORD_DELIMITER = "\r\n";

/**
 * First characters that make a spreadsheet read a cell as a formula or start a new cell: OWASP's
 * `= + - @`, tab, CR and LF, ASVS's NUL, and the full-width `＝ ＋ － ＠` that Excel folds to ASCII.
 */
export const FORMULA_TRIGGERS: ReadonlySet<string> = new Set([
  "=",
  "+",
  "-",
  "@",
  "\t",
  "\r",
  "\n",
  "\0",
  "\uFF1D",
  "\uFF0B",
  "\uFF0D",
  "\uFF20",
]);

// A trigger, possibly after leading whitespace: some spreadsheets trim a cell before they evaluate it.
const LEADING_TRIGGER = /^\s*[=+\-@\t\r\n\0\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Whether a string cell would be read as a formula: a trigger first, or after leading whitespace. */
export function isFormulaTrigger(value: string): boolean {
  return LEADING_TRIGGER.test(value);
}

/*
 * Excel in locales whose list separator is `;` (de, fr, nl, …) splits a comma file on `;`, honours a
 * quote only at the start of such a cell, and starts a new row at every CR or LF, even inside quotes.
 * For such a reader a `;`, CR or LF inside a value starts a new cell. Once a line break inside a value
 * has made it lose track of the quotes, a `,` does too when the file is read with `,`: the rest of that
 * record is then read with its quotes inverted. A trigger after such a separator (after any spaces or
 * quotes, which that reader skips) gets a `'` as well.
 */
const TRIGGER_AHEAD = String.raw`(?=(?:[^\S\r\n]|")*[=+\-@\t\0\uFF1D\uFF0B\uFF0D\uFF20])`;
const SEPARATOR_RISK = /[;,\r\n]/;
const LINE_BREAK = /[\r\n]/;
const AFTER_SEMICOLON = new RegExp(`(;)${TRIGGER_AHEAD}`, "g");
const AFTER_ANY_SEPARATOR = new RegExp(`([;,\\r\\n])${TRIGGER_AHEAD}`, "g");

function neutralizeInner(value: string, afterLineBreak: boolean): string {
  if (!SEPARATOR_RISK.test(value)) return value;
  if (afterLineBreak) return value.replace(AFTER_ANY_SEPARATOR, "$1'");
  const lineBreak = value.search(LINE_BREAK);
  if (lineBreak === -1) return value.replace(AFTER_SEMICOLON, "$1'");
  return (
    value.slice(0, lineBreak).replace(AFTER_SEMICOLON, "$1'") +
    value.slice(lineBreak).replace(AFTER_ANY_SEPARATOR, "$1'")
  );
}

/**
 * Make a string cell inert in any spreadsheet locale: a `'` before a leading trigger (even after
 * leading whitespace), and before a trigger that follows a `;`, CR or LF inside the value, or a `,`
 * after a line break. `afterLineBreak`: an earlier cell of the same record holds a line break. Any
 * other string is unchanged.
 */
export function neutralizeCell(value: string, afterLineBreak = false): string {
  const inner = neutralizeInner(value, afterLineBreak);
  return isFormulaTrigger(inner) ? `'${inner}` : inner;
}

/**
 * The value of one cell before quoting. Numbers stay numbers (never `'-5`), null and undefined are
 * empty, objects become JSON; every string, JSON included, goes through {@link neutralizeCell}.
 */
export function toCell(value: unknown, afterLineBreak = false): string | number {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? value : "";
  if (typeof value === "string") return neutralizeCell(value, afterLineBreak);
  if (typeof value === "object") return neutralizeCell(JSON.stringify(value), afterLineBreak);
  return neutralizeCell(String(value), afterLineBreak);
}

/** The cells of one record, neutralized (each knowing whether a line break came before it), unquoted. */
export function csvCells(values: readonly unknown[]): (string | number)[] {
  let afterLineBreak = false;
  return values.map((value) => {
    const cell = toCell(value, afterLineBreak);
    if (!afterLineBreak && typeof cell === "string" && LINE_BREAK.test(cell)) afterLineBreak = true;
    return cell;
  });
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 §2.6–2.7: a field holding `"`, `,`, CR or LF (bare or paired) is quoted, inner quotes doubled. */
export function quoteField(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** One CSV record, CRLF-terminated, from raw values (neutralized and quoted here). */
export function csvRecord(values: readonly unknown[]): string {
  const cells = csvCells(values);
  let line = "";
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ",";
    const cell = cells[i];
    line += typeof cell === "number" ? String(cell) : quoteField(cell);
  }
  return line + CSV_RECORD_DELIMITER;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A timestamp as ISO 8601 in UTC; a string already in that form is kept (no precision is lost). */
export function toIsoUtc(value: string): string {
  if (ISO_UTC.test(value)) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** The header record of an export: the field labels of the chosen columns. */
export function csvHeader(columns: readonly FieldId[]): string {
  return csvRecord(columns.map((id) => getField(id)?.label ?? id));
}

/**
 * The value a column shows for a row: objects of JSON fields as JSON text, the timestamp in UTC. A
 * JSON field holding a plain string (a v1 value such as `low`) is written as that string: quoting it
 * again would export `"\"low\""`.
 */
export function columnValue(log: AuditLog, id: FieldId): unknown {
  const value = log[id];
  if (value === null || value === undefined) return null;
  if (id === "time" && typeof value === "string") return toIsoUtc(value);
  if (getField(id)?.isJson) return typeof value === "string" ? value : JSON.stringify(value);
  return value;
}

/** CSV records for a batch of rows, in the given column order. */
export function csvRows(logs: readonly AuditLog[], columns: readonly FieldId[]): string {
  let out = "";
  for (const log of logs) out += csvRecord(columns.map((id) => columnValue(log, id)));
  return out;
}
