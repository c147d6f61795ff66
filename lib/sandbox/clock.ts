/**
 * The sandbox clock: it starts at the anchor (`SANDBOX_NOW`, or the start time) and then advances in
 * real time, unless frozen for tests that need a fixed dataset.
 */

export type SandboxClockMode = "live" | "frozen";

/** Reads `SANDBOX_CLOCK`: `frozen`, or `live` (the default); anything else is refused. */
export function parseClockMode(text: string | undefined): SandboxClockMode {
  const value = text?.trim() || "live";
  if (value !== "live" && value !== "frozen")
    throw new Error(`SANDBOX_CLOCK must be live or frozen, got "${text}"`);
  return value;
}

/** Sandbox time in ms: `anchorMs` at `startedAtMs` (real time), then advancing with real time unless frozen. */
export function sandboxClock(
  anchorMs: number,
  mode: SandboxClockMode,
  startedAtMs = Date.now(),
): () => number {
  if (mode === "frozen") return () => anchorMs;
  return () => anchorMs + (Date.now() - startedAtMs);
}
