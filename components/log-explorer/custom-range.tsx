"use client";

import { useId, useState, type FormEvent } from "react";
import { fromDateTimeInputs, toDateTimeInputs, toIsoInstant, zoneLabel } from "@/lib/format";
import { parseTypedRange } from "@/lib/typed-range";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useExplorer } from "./explorer-context";

/**
 * An absolute window typed as dates and 24-hour times in the display zone, or as one line of text
 * (`2026-11-26 09:00 – 12:00`), applied as RFC 3339 instants.
 */
export function CustomRange({
  initial,
  onApply,
}: {
  initial: { since: string; before: string };
  onApply: (since: string, before: string) => void;
}) {
  const { zone } = useExplorer();
  const [from, setFrom] = useState(() => toDateTimeInputs(new Date(initial.since), zone));
  const [to, setTo] = useState(() => toDateTimeInputs(new Date(initial.before), zone));
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim()) {
      const range = parseTypedRange(typed, zone);
      if (!range) return setError("Not a range: write it like 2026-11-26 09:00 – 12:00.");
      return onApply(toIsoInstant(range.since), toIsoInstant(range.before));
    }
    const since = fromDateTimeInputs(from.date, from.time, zone);
    const before = fromDateTimeInputs(to.date, to.time, zone);
    if (!since || !before) return setError("Enter a date and time for both ends.");
    if (before.getTime() <= since.getTime()) return setError("The end must be later than the start.");
    onApply(toIsoInstant(since), toIsoInstant(before));
  };

  const row = (name: "From" | "To", value: { date: string; time: string }, set: typeof setFrom) => (
    <fieldset className="space-y-1">
      <legend className="text-2xs font-medium text-muted">{name}</legend>
      <div className="flex gap-1.5">
        <Input
          type="date"
          aria-label={`${name} date`}
          value={value.date}
          onChange={(e) => set({ ...value, date: e.target.value })}
          className="h-7 w-36 text-xs"
        />
        {/* Text, not type=time: the browser's time field follows the locale's 12-hour clock. */}
        <Input
          type="text"
          inputMode="numeric"
          placeholder="HH:MM"
          maxLength={8}
          aria-label={`${name} time`}
          title="24-hour time, e.g. 09:00 or 17:30"
          value={value.time}
          onChange={(e) => set({ ...value, time: e.target.value })}
          className="h-7 w-20 font-mono text-xs"
        />
      </div>
    </fieldset>
  );

  return (
    <form onSubmit={submit} className="w-64 space-y-2" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="text-xs font-semibold">
        Custom range <span className="font-normal text-muted">({zoneLabel(zone)})</span>
      </h3>
      <Input
        type="text"
        aria-label="Typed range"
        placeholder="2026-11-26 09:00 – 12:00"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        className="h-7 w-full font-mono text-xs"
      />
      {row("From", from, setFrom)}
      {row("To", to, setTo)}
      {error && (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" className="w-full justify-center">
        Apply range
      </Button>
    </form>
  );
}
