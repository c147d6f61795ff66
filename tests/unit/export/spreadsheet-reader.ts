/**
 * A CSV reader as careless as a spreadsheet in some locales: it splits on one delimiter (`,` or `;`),
 * honours a quote only at the very start of a cell, and starts a new row at every CR or LF, even inside
 * quotes. Excel reads a comma file this way when its list separator is `;`.
 */
export function naiveRead(text: string, delimiter: "," | ";"): string[][] {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let atStart = true;
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
    atStart = true;
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\r" || c === "\n") {
      quoted = false;
      endRow();
      if (c === "\r" && body[i + 1] === "\n") i++;
      continue;
    }
    if (quoted) {
      if (c !== '"') cell += c;
      else if (body[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
      continue;
    }
    if (atStart && c === '"') {
      quoted = true;
      atStart = false;
      continue;
    }
    atStart = false;
    if (c === delimiter) endCell();
    else cell += c;
  }
  if (cell !== "" || row.length > 0) endRow();
  return rows;
}

/** A cell a spreadsheet would evaluate: a formula trigger, a tab or a CR first, even after spaces. */
export const DANGEROUS_CELL = /^[^\S\t\r\n]*[=+\-@\t\r\n\0\uFF1D\uFF0B\uFF0D\uFF20]/;
