import type { DataNotice } from "@/lib/data-notices";
import { AlertIcon } from "@/components/ui/icons";

/** The notices of a view, one line each, in one style; nothing when the data is complete and exact. */
export function DataNoticeList({ notices }: { notices: readonly DataNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <section
      aria-label="About this data"
      data-testid="data-notice"
      className="border-b border-warning/30 bg-warning-soft/60 px-4 py-1.5 text-xs text-fg"
    >
      <ul className="space-y-0.5">
        {notices.map((notice) => (
          <li key={notice.id} className="flex gap-2">
            <AlertIcon className="mt-0.5 h-3.5 w-3.5 shrink-0 text-warning" />
            <p>
              <strong className="font-semibold">{notice.label}:</strong> {notice.text}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
