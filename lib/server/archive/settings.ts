import "server-only";
import { z } from "zod";
import { envOf } from "@/lib/server/config";

/** How the archive is configured, from its own environment variables. */
export interface ArchiveSettings {
  enabled: boolean;
  /** Directory of the embedded database (used when no `databaseUrl` is set). */
  dir: string;
  /** A PostgreSQL server shared by several instances; null selects the embedded database. */
  databaseUrl: string | null;
  /** How far back the backfill goes, in milliseconds before the time it starts. */
  sinceMs: number;
  /** Pause between two follow runs. */
  intervalMs: number;
  /** Entries older than this many days are deleted; null keeps everything. */
  retentionDays: number | null;
}

export type ArchiveSettingsResult =
  { ok: true; settings: ArchiveSettings } | { ok: false; problems: string[] };

const DAY_MS = 86_400_000;
/** Cloudflare keeps audit logs for 18 months. */
export const DEFAULT_SINCE_MS = 548 * DAY_MS;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS } as const;

/** `60s`, `5m`, `2h`, `30d` → milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^([1-9]\d{0,6})(s|m|h|d)$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : null;
}

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const duration = (fallback: number, min: number) =>
  z.preprocess(
    blank,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return fallback;
        const ms = parseDuration(v);
        if (ms === null || ms < min) {
          ctx.addIssue({ code: "custom", message: "expected a duration such as 60s, 5m, 12h or 540d" });
          return z.NEVER;
        }
        return ms;
      }),
  );

const schema = z.object({
  ARCHIVE: z.preprocess(blank, z.enum(["on", "off"]).default("off")),
  ARCHIVE_DIR: z.preprocess(blank, z.string().default("./data")),
  DATABASE_URL: z.preprocess(
    blank,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "expected postgres://user:password@host:port/database")
      .optional(),
  ),
  ARCHIVE_SINCE: duration(DEFAULT_SINCE_MS, DAY_MS),
  ARCHIVE_INTERVAL: duration(60_000, 1000),
  ARCHIVE_RETENTION_DAYS: z.preprocess(blank, z.coerce.number().int().positive().optional()),
});

export const ARCHIVE_ENV_KEYS = [
  "ARCHIVE",
  "ARCHIVE_DIR",
  "DATABASE_URL",
  "ARCHIVE_SINCE",
  "ARCHIVE_INTERVAL",
  "ARCHIVE_RETENTION_DAYS",
] as const;

/** Parse the archive's environment (`ARCHIVE_SINCE` is a duration back from now, e.g. `540d`). */
export function parseArchiveSettings(
  env: Partial<Record<(typeof ARCHIVE_ENV_KEYS)[number], string | undefined>>,
): ArchiveSettingsResult {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  const e = parsed.data;
  return {
    ok: true,
    settings: {
      enabled: e.ARCHIVE === "on",
      dir: e.ARCHIVE_DIR,
      databaseUrl: e.DATABASE_URL ?? null,
      sinceMs: e.ARCHIVE_SINCE,
      intervalMs: e.ARCHIVE_INTERVAL,
      retentionDays: e.ARCHIVE_RETENTION_DAYS ?? null,
    },
  };
}

export function archiveSettingsFromEnv(): ArchiveSettingsResult {
  return parseArchiveSettings(envOf(ARCHIVE_ENV_KEYS));
}
