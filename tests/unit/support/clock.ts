import { vi } from "vitest";

/**
 * A weekday at noon UTC. The sandbox's activity follows its clock (busy office hours, quiet nights and
 * weekends), so a test whose result depends on the data runs at this instant, whatever the hour.
 */
export const PINNED_NOW = new Date("2026-11-18T12:00:00Z");

/**
 * Pin `Date` (and only `Date`: timers stay real) at `now`, from where it advances in real time. In
 * cloudflare mode the routes and a standalone sandbox both read this clock, so both see the same hour.
 * Undo with `vi.useRealTimers()`.
 */
export function pinClock(now: Date = PINNED_NOW) {
  vi.useFakeTimers({ toFake: ["Date"], now, shouldAdvanceTime: true });
}
