"use client";

import { Dialog } from "@/components/ui/dialog";
import { Kbd } from "@/components/ui/kbd";
import { MENU_KEYS } from "./use-keyboard";

const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ["/"], what: "Focus the filter box" },
  { keys: ["t"], what: "Jump to the entries" },
  { keys: ["j", "↓"], what: "Next entry" },
  { keys: ["k", "↑"], what: "Previous entry" },
  { keys: ["Enter"], what: "Open the highlighted entry" },
  ...Object.entries(MENU_KEYS).map(([key, what]) => ({ keys: [key], what })),
  { keys: ["Tab"], what: "Highlighted entry: move through its values and their actions" },
  { keys: ["+"], what: "Filter by the focused value (table cell or detail view)" },
  { keys: ["-"], what: "Exclude the focused value (table cell or detail view)" },
  { keys: ["↑", "↓"], what: "Top values: move between values" },
  { keys: ["Esc"], what: "Close the detail view or menu" },
  { keys: ["?"], what: "Show this list" },
];

/** The keyboard shortcuts (`?`). */
export function ShortcutsDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} labelledBy="shortcuts-title" describedBy="shortcuts-hint">
      <div className="p-5">
        <h2 id="shortcuts-title" className="text-sm font-semibold">
          Keyboard shortcuts
        </h2>
        <p id="shortcuts-hint" className="mt-1 text-xs text-muted">
          They work anywhere except while typing in a field.
        </p>
        <dl className="mt-4 space-y-2">
          {SHORTCUTS.map((s) => (
            <div key={s.what} className="flex items-center justify-between text-sm">
              <dt className="text-muted">{s.what}</dt>
              <dd className="flex gap-1">
                {s.keys.map((k) => (
                  <Kbd key={k}>{k}</Kbd>
                ))}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </Dialog>
  );
}
