import { cn } from "@/components/ui/cn";
import { diffLines, stableJson, toSideBySide, type DiffOp } from "./diff";

const LINE: Record<DiffOp["type"], string> = {
  same: "text-muted",
  del: "bg-danger-soft text-danger",
  add: "bg-success-soft text-success",
};
const SIGN: Record<DiffOp["type"], string> = { same: " ", del: "−", add: "+" };

const lines = (value: unknown) =>
  value === undefined || value === null ? [] : stableJson(value).split("\n");

/** Old value → new value as one column of removed (−) and added (+) lines. */
export function ValueDiff({ before, after }: { before: unknown; after: unknown }) {
  const ops = diffLines(lines(before), lines(after));
  if (ops.length === 0) return <p className="text-xs text-muted">No value recorded.</p>;
  return (
    <pre
      role="region"
      aria-label="Changes from old value to new value"
      tabIndex={0}
      className="max-h-[50vh] overflow-auto rounded-md border border-line bg-subtle py-2 font-mono text-xs leading-relaxed"
    >
      {ops.map((op, i) => (
        <div key={i} className={cn("px-3 break-all whitespace-pre-wrap", LINE[op.type])}>
          <span aria-hidden className="mr-2 select-none">
            {SIGN[op.type]}
          </span>
          {op.type !== "same" && (
            <span className="sr-only">{op.type === "del" ? "removed: " : "added: "}</span>
          )}
          {op.text}
        </div>
      ))}
    </pre>
  );
}

/** Two values side by side, changed lines highlighted on each side. */
export function SideBySideDiff(props: {
  left: unknown;
  right: unknown;
  leftTitle: string;
  rightTitle: string;
}) {
  const rows = toSideBySide(diffLines(lines(props.left), lines(props.right)));
  const changed = rows.filter((r) => r.left?.type !== "same").length;
  const cell = (op: DiffOp | null) => (
    <div className={cn("min-w-0 px-2 break-all whitespace-pre-wrap", op ? LINE[op.type] : "bg-hover/50")}>
      {op?.text ?? ""}
    </div>
  );
  return (
    <div className="overflow-hidden rounded-md border border-line" data-testid="side-by-side-diff">
      <div className="grid grid-cols-2 border-b border-line bg-subtle text-2xs font-medium text-muted">
        <div className="truncate px-2 py-1.5">{props.leftTitle}</div>
        <div className="truncate border-l border-line px-2 py-1.5">{props.rightTitle}</div>
      </div>
      <p className="sr-only">{changed} changed lines</p>
      <div
        role="region"
        aria-label="Side-by-side changes"
        tabIndex={0}
        className="max-h-[50vh] overflow-auto py-1 font-mono text-xs leading-relaxed"
      >
        {rows.map((r, i) => (
          <div key={i} className="grid grid-cols-2 [&>*+*]:border-l [&>*+*]:border-line">
            {cell(r.left)}
            {cell(r.right)}
          </div>
        ))}
      </div>
    </div>
  );
}
