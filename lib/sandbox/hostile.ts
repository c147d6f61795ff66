/**
 * Values an attacker (or an unlucky admin) can put into audit-log fields: spreadsheet formulas,
 * quoting and line-break characters, very long and non-Latin text. About 1% of sandbox entries carry
 * one, so every consumer (table, detail view, CSV/NDJSON export) is exercised against them.
 */

export const HOSTILE_TOKEN_NAME = '=HYPERLINK("http://x","y")';

const LONG = `Long description: ${"lorem ipsum dolor sit amet, ".repeat(80)}end`;

export const HOSTILE_VALUES: readonly string[] = [
  HOSTILE_TOKEN_NAME,
  "+cmd|' /C calc'!A0",
  "-1+1",
  "@SUM(A1)",
  "\t=1",
  'say "hello", then leave',
  "comma, separated, value",
  "line one\rline two",
  "line one\nline two",
  "line one\r\nline two",
  LONG,
  "中文名称 测试策略",
  "سياسة الوصول العربية",
  "emoji 🚀🔥 policy 👩‍💻",
];

/** Roughly 1 entry in this many carries a hostile value. */
export const HOSTILE_EVERY = 97;
