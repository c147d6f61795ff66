/** A line-level diff of two JSON values, small enough to ship to the browser. */
export type DiffOp = { type: "same" | "del" | "add"; text: string };

/** JSON with object keys sorted, so that reordered keys do not show as changes. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  if (value === undefined) return "";
  try {
    return JSON.stringify(sort(value), null, 2) ?? "";
  } catch {
    return String(value);
  }
}

const MAX_CELLS = 400_000;

/** Longest-common-subsequence diff of two line lists; very large inputs degrade to replace-all. */
export function diffLines(a: string[], b: string[]): DiffOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((text) => ({ type: "same", text }) as DiffOp);
  const tail = a.slice(endA).map((text) => ({ type: "same", text }) as DiffOp);
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  const n = x.length;
  const m = y.length;
  let middle: DiffOp[];
  if (n * m > MAX_CELLS) {
    middle = [
      ...x.map((text) => ({ type: "del", text }) as DiffOp),
      ...y.map((text) => ({ type: "add", text }) as DiffOp),
    ];
  } else {
    const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    middle = [];
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (x[i] === y[j]) {
        middle.push({ type: "same", text: x[i++] });
        j++;
      } else if (table[i + 1][j] >= table[i][j + 1]) middle.push({ type: "del", text: x[i++] });
      else middle.push({ type: "add", text: y[j++] });
    }
    while (i < n) middle.push({ type: "del", text: x[i++] });
    while (j < m) middle.push({ type: "add", text: y[j++] });
  }
  return [...head, ...middle, ...tail];
}

export type SideRow = { left: DiffOp | null; right: DiffOp | null };

/** Pair removed and added runs line by line for a side-by-side view. */
export function toSideBySide(ops: DiffOp[]): SideRow[] {
  const rows: SideRow[] = [];
  let dels: DiffOp[] = [];
  let adds: DiffOp[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(dels.length, adds.length); k++)
      rows.push({ left: dels[k] ?? null, right: adds[k] ?? null });
    dels = [];
    adds = [];
  };
  for (const op of ops) {
    if (op.type === "del") dels.push(op);
    else if (op.type === "add") adds.push(op);
    else {
      flush();
      rows.push({ left: op, right: op });
    }
  }
  flush();
  return rows;
}
