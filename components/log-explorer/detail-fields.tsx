"use client";

import { FIELDS, getFilterForField, type AuditLog, type FieldGroup } from "@/lib/audit-log";
import { capabilities } from "@/lib/capabilities";
import { formatValue } from "@/lib/format";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { MinusIcon, PlusIcon } from "@/components/ui/icons";
import { CopyValueButton } from "./copy-value-button";
import { LABELLED_FIELDS, MONO_FIELDS, ResultBadge, Timestamp, valueLabel } from "./cell-value";
import { useExplorer } from "./explorer-context";
import { DetailMetadata } from "./detail-metadata";

/** Whether a field has a value to show; v1's `interface: ""` is a value (an API call), not a gap. */
const isSet = (entry: AuditLog, id: keyof AuditLog) =>
  entry[id] !== null && entry[id] !== undefined && (entry[id] !== "" || id === "interface");

const GROUPS: { id: FieldGroup; title: string }[] = [
  { id: "action", title: "Action" },
  { id: "actor", title: "Actor" },
  { id: "resource", title: "Resource" },
  { id: "zone", title: "Zone and account" },
  { id: "request", title: "Request" },
];

/**
 * Every scalar field of an entry, grouped as the field list groups them. Filterable values carry
 * include and exclude buttons (click-to-filter), offered only where the active API supports them.
 */
export function DetailFields({ entry }: { entry: AuditLog }) {
  const { api, search } = useExplorer();
  const caps = capabilities(api);

  return (
    <div className="space-y-5">
      {GROUPS.map((group) => {
        const fields = FIELDS.filter((f) => f.group === group.id);
        const set = fields.filter((f) => isSet(entry, f.id));
        const missingInV1 = fields.filter((f) => !set.includes(f) && caps.missingFields.includes(f.id));
        const unset = fields.filter((f) => !set.includes(f) && !missingInV1.includes(f));
        if (set.length === 0) return null;
        return (
          <section key={group.id} aria-labelledby={`group-${group.id}`}>
            <h3
              id={`group-${group.id}`}
              className="mb-1.5 text-2xs font-semibold tracking-wide text-faint uppercase"
            >
              {group.title}
            </h3>
            <dl className="divide-y divide-line/70 rounded-md border border-line">
              {set.map((field) => {
                const raw = entry[field.id];
                const text = formatValue(raw);
                const filter = getFilterForField(field.id);
                const usable = filter && caps.supports(filter);
                return (
                  <div
                    key={field.id}
                    data-field-row
                    className="group grid grid-cols-[9.5rem_1fr] items-start gap-2 px-3 py-1.5"
                  >
                    <dt className="pt-0.5 text-xs text-muted">{field.label}</dt>
                    <dd className="flex min-w-0 items-start gap-2">
                      <span
                        className={cn(
                          "min-w-0 flex-1 pt-0.5 text-[13px] break-words",
                          MONO_FIELDS.has(field.id) && "font-mono text-xs",
                        )}
                      >
                        {field.id === "interface" && text === "" ? (
                          <span className="text-muted">Empty (not the dashboard)</span>
                        ) : field.id === "time" ? (
                          <Timestamp value={text} long />
                        ) : field.id === "actionResult" ? (
                          <ResultBadge value={text} />
                        ) : LABELLED_FIELDS.has(field.id) && valueLabel(field.id, text) !== text ? (
                          <>
                            {valueLabel(field.id, text)}{" "}
                            <span className="font-mono text-2xs text-faint">{text}</span>
                          </>
                        ) : (
                          text
                        )}
                      </span>
                      {usable && (
                        <span className="flex shrink-0 gap-0.5 opacity-60 group-hover:opacity-100 focus-within:opacity-100">
                          <Button
                            variant="ghost"
                            size="icon-sm"
                            aria-label={`Filter by ${field.label}: ${text}`}
                            title="Show only entries with this value (+)"
                            data-filter-action="include"
                            onClick={() => search.addFilter(filter.param, false, text)}
                          >
                            <PlusIcon className="h-3 w-3" />
                          </Button>
                          {caps.canExclude(filter) && (
                            <Button
                              variant="ghost"
                              size="icon-sm"
                              aria-label={`Exclude ${field.label}: ${text}`}
                              title="Hide entries with this value (-)"
                              data-filter-action="exclude"
                              onClick={() => search.addFilter(filter.param, true, text)}
                            >
                              <MinusIcon className="h-3 w-3" />
                            </Button>
                          )}
                        </span>
                      )}
                      <CopyValueButton text={text} label={field.label} />
                    </dd>
                  </div>
                );
              })}
              {missingInV1.map((field) => (
                <div key={field.id} className="grid grid-cols-[9.5rem_1fr] items-start gap-2 px-3 py-1.5">
                  <dt className="pt-0.5 text-xs text-muted">{field.label}</dt>
                  <dd className="pt-0.5 text-[13px] text-muted">Not provided by v1</dd>
                </div>
              ))}
            </dl>
            {unset.length > 0 && (
              <p className="mt-1 text-2xs text-faint">Not set: {unset.map((f) => f.label).join(", ")}</p>
            )}
          </section>
        );
      })}
      <DetailMetadata entry={entry} />
    </div>
  );
}
