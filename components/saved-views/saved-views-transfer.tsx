"use client";

import { useRef } from "react";
import { parseViewsFile, toFile, type SavedView } from "@/lib/saved-views";
import { Button } from "@/components/ui/button";

/** Write the views to a JSON file, and read views from one, so a team can share a set. */
export function SavedViewsTransfer({
  account,
  views,
  onImport,
  onMessage,
}: {
  account: string;
  views: readonly SavedView[];
  onImport: (views: SavedView[]) => void;
  onMessage: (message: { text: string; error: boolean }) => void;
}) {
  const input = useRef<HTMLInputElement>(null);

  const exportFile = () => {
    const blob = new Blob([JSON.stringify(toFile(views), null, 2) + "\n"], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `saved-views-${account}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  const importFile = async (file: File) => {
    const parsed = parseViewsFile(await file.text());
    if (!parsed.ok) {
      onMessage({ text: `${file.name} was not imported: ${parsed.error}`, error: true });
      return;
    }
    onImport(parsed.views);
    const n = parsed.views.length;
    onMessage({ text: `Imported ${n} view${n === 1 ? "" : "s"} from ${file.name}.`, error: false });
  };

  return (
    <div className="flex gap-2">
      <Button onClick={exportFile} disabled={views.length === 0}>
        Export to file
      </Button>
      <Button onClick={() => input.current?.click()}>Import from file</Button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        aria-label="Saved views file to import"
        className="sr-only"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) void importFile(file);
        }}
      />
    </div>
  );
}
