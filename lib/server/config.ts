import "server-only";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { isAddressOrCidr } from "./client-address";
import { parseAccounts, type Account } from "./config-accounts";
import { SANDBOX_ACCOUNT_ID, SANDBOX_SEED, SANDBOX_SIZE } from "@/lib/sandbox/constants";
import { CLOUDFLARE_RATE_LIMIT, parseRateLimit, type RateLimit } from "@/lib/sandbox/rate-limit";

/**
 * Server configuration from the environment, parsed once per distinct environment.
 * This is the only module that reads `process.env` for the product's settings; the token never leaves
 * the server.
 */
export type AuthMode = "access" | "basic" | "none";

export interface AccessSettings {
  /** Issuer and certs origin, e.g. `https://team.cloudflareaccess.com` (or a loopback origin in tests). */
  origin: string;
  audience: string;
  /** Entries as written (`alice@example.com`, `*@example.com`); compared case-insensitively in ASCII only. */
  allowedEmails: string[];
  allowedServiceTokens: string[];
  /** ACCESS_ALLOW_ANY_EMAIL=true: every email Access admits may read the logs (no allow-list). */
  allowAnyEmail: boolean;
  /** Every account's own `allowedEmails`: an email on one of them signs in, and sees that account only. */
  accountEmails?: string[];
}

export interface Config {
  mode: "sandbox" | "cloudflare";
  api: "v2" | "v1";
  /** Present in cloudflare mode only. */
  token: string | null;
  /** The account this configuration reads; `accounts[0]` unless made by `accountConfig`. */
  accountId: string;
  /** Every account the server reads, in the order configured: the first is the default. */
  accounts: Account[];
  /** Which token's budget the calls spend: accounts sharing one token share one budget. */
  tokenGroup: string;
  baseUrl: string;
  /** null when a real token is configured without AUTH_MODE: data routes then answer 503. */
  authMode: AuthMode | null;
  access: AccessSettings | null;
  basic: { user: string; password: string } | null;
  /** NODE_ENV=production: basic sign-in then refuses plain HTTP unless allowed below. */
  production: boolean;
  /** BASIC_AUTH_ALLOW_HTTP=true: basic sign-in over plain HTTP even in production. */
  basicAllowHttp: boolean;
  /** Proxies (IPs and CIDRs) whose `X-Forwarded-For` is believed; empty: the header is ignored. */
  trustedProxies: string[];
  exportMaxRows: number;
  /** The in-process sandbox's per-token limit (SANDBOX_RATE_LIMIT); null: none. */
  sandboxRateLimit: RateLimit | null;
  statsMaxEntries: number;
  /** Bound, in bytes, of the complete walks kept to answer filter changes without an upstream call. */
  walkCacheBytes: number;
  /** Bound on one upstream call, retries and body included. */
  upstreamTimeoutMs: number;
  /** How long upstream calls pause once most recent ones failed; 0 turns the pause off. */
  breakerResetMs: number;
  /** Shared state for several instances; null keeps all state in this process. */
  redisUrl: string | null;
  /** Upstream calls this dashboard may spend per window (UPSTREAM_BUDGET, `N/Ss`). */
  budget: { calls: number; windowSeconds: number };
  /** Instances sharing the token: the local budget while Redis is unreachable is `calls / instances`. */
  instances: number;
  /** The most of the budget one signed-in viewer may take, 0–1. */
  viewerShare: number;
  /** `now` anchors the sandbox clock; `clock: "frozen"` keeps it there, `live` lets it advance. */
  sandbox: { now: Date | null; clock: "live" | "frozen"; seed: number; size: number };
}

/** Which upstream a request reads from: the part of cache and breaker keys that tells upstreams apart. */
export function upstreamIdentity(config: Config): [Config["mode"], string, string, Config["api"]] {
  return [config.mode, config.baseUrl, config.accountId, config.api];
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

export const ENV_KEYS = [
  "CLOUDFLARE_API_TOKEN",
  "CLOUDFLARE_API_TOKEN_FILE",
  "CLOUDFLARE_ACCOUNT_ID",
  "CLOUDFLARE_ACCOUNTS_FILE",
  "CLOUDFLARE_BASE_URL",
  "AUDIT_LOGS_API",
  "AUTH_MODE",
  "ACCESS_TEAM_DOMAIN",
  "ACCESS_AUD",
  "ACCESS_ALLOWED_EMAILS",
  "ACCESS_ALLOWED_SERVICE_TOKENS",
  "ACCESS_ALLOW_ANY_EMAIL",
  "BASIC_AUTH_USER",
  "BASIC_AUTH_PASSWORD",
  "BASIC_AUTH_ALLOW_HTTP",
  "TRUSTED_PROXIES",
  "EXPORT_MAX_ROWS",
  "STATS_MAX_ENTRIES",
  "WALK_CACHE_BYTES",
  "UPSTREAM_TIMEOUT_MS",
  "UPSTREAM_BREAKER_RESET_MS",
  "REDIS_URL",
  "UPSTREAM_BUDGET",
  "UPSTREAM_INSTANCES",
  "UPSTREAM_VIEWER_SHARE",
  "SANDBOX_NOW",
  "SANDBOX_CLOCK",
  "SANDBOX_SEED",
  "SANDBOX_SIZE",
  "SANDBOX_RATE_LIMIT",
  "NODE_ENV",
] as const;

type Env = Partial<Record<(typeof ENV_KEYS)[number], string>>;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const positiveInt = (fallback: number) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().positive().default(fallback));
const list = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((v) => (v ? v.split(/[\s,]+/).filter(Boolean) : [])),
);

/** An explicit opt-in: only `true` turns it on, anything but `true`/`false` is refused. */
const flag = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
  z
    .enum(["true", "false"], "expected true or false")
    .default("false")
    .transform((v) => v === "true"),
);

const envSchema = z.object({
  CLOUDFLARE_API_TOKEN: optionalString,
  CLOUDFLARE_API_TOKEN_FILE: optionalString,
  // Checked with the accounts (config-accounts.ts): it may list several.
  CLOUDFLARE_ACCOUNT_ID: optionalString,
  CLOUDFLARE_ACCOUNTS_FILE: optionalString,
  CLOUDFLARE_BASE_URL: z.preprocess(blankToUndefined, z.url().optional()),
  AUDIT_LOGS_API: z.preprocess(blankToUndefined, z.enum(["v2", "v1"]).default("v2")),
  AUTH_MODE: z.preprocess(blankToUndefined, z.enum(["access", "basic", "none"]).optional()),
  ACCESS_TEAM_DOMAIN: optionalString,
  ACCESS_AUD: optionalString,
  ACCESS_ALLOWED_EMAILS: list,
  ACCESS_ALLOWED_SERVICE_TOKENS: list,
  ACCESS_ALLOW_ANY_EMAIL: flag,
  BASIC_AUTH_USER: optionalString,
  BASIC_AUTH_PASSWORD: z.preprocess(blankToUndefined, z.string().optional()),
  BASIC_AUTH_ALLOW_HTTP: flag,
  TRUSTED_PROXIES: list.pipe(
    z.array(z.string().refine(isAddressOrCidr, "expected IP addresses or CIDR ranges (10.0.0.0/8, ::1)")),
  ),
  EXPORT_MAX_ROWS: positiveInt(1_000_000),
  STATS_MAX_ENTRIES: positiveInt(20_000),
  WALK_CACHE_BYTES: positiveInt(64 * 1024 * 1024),
  UPSTREAM_TIMEOUT_MS: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(100).max(600_000).default(15_000),
  ),
  UPSTREAM_BREAKER_RESET_MS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .int()
      .refine((ms) => ms === 0 || (ms >= 1_000 && ms <= 600_000), "0 (off) or 1000–600000")
      .default(30_000),
  ),
  REDIS_URL: z.preprocess(
    blankToUndefined,
    z
      .url()
      .refine((u) => /^rediss?:\/\//i.test(u), "expected redis://host:port or rediss://host:port")
      .optional(),
  ),
  NODE_ENV: optionalString,
  UPSTREAM_BUDGET: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .default("600/300s")
      .transform((v, ctx) => {
        const match = /^(\d+)\s*\/\s*(\d+)\s*s$/i.exec(v);
        const calls = match ? Number(match[1]) : 0;
        const windowSeconds = match ? Number(match[2]) : 0;
        // The window is spent in ten slices of an eleventh of the calls each (so no span of the window's
        // length exceeds it): fewer than 11 calls, or a window under 10 s, cannot be sliced so.
        if (!match || calls < 11 || windowSeconds < 10 || windowSeconds > 86_400) {
          ctx.addIssue({
            code: "custom",
            message: "expected N/Ss with N ≥ 11 and 10 ≤ S ≤ 86400, e.g. 600/300s",
          });
          return z.NEVER;
        }
        return { calls, windowSeconds };
      }),
  ),
  UPSTREAM_INSTANCES: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1000).default(2)),
  UPSTREAM_VIEWER_SHARE: z.preprocess(
    blankToUndefined,
    z.coerce.number().gt(0, "must be above 0").max(1, "must be at most 1").default(0.5),
  ),
  SANDBOX_NOW: z.preprocess(blankToUndefined, z.iso.datetime({ offset: true }).optional()),
  SANDBOX_CLOCK: z.preprocess(blankToUndefined, z.enum(["live", "frozen"]).default("live")),
  SANDBOX_SEED: z.preprocess(blankToUndefined, z.coerce.number().int().nonnegative().default(SANDBOX_SEED)),
  SANDBOX_SIZE: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().positive().max(5_000_000).default(SANDBOX_SIZE),
  ),
  SANDBOX_RATE_LIMIT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return CLOUDFLARE_RATE_LIMIT;
        try {
          return parseRateLimit(text);
        } catch {
          ctx.addIssue({ code: "custom", message: "expected calls/seconds such as 1200/300s, or off" });
          return z.NEVER;
        }
      }),
  ),
});

/** `team` → `https://team.cloudflareaccess.com`; a full origin (tests on loopback) is kept as given. */
export function accessOrigin(teamDomain: string): string {
  if (/^https?:\/\//i.test(teamDomain)) return new URL(teamDomain).origin;
  const host = teamDomain.includes(".") ? teamDomain : `${teamDomain}.cloudflareaccess.com`;
  return `https://${host}`;
}

/** Parse an environment into a configuration, or the list of what to fix. Never includes the token. */
export function parseConfig(
  env: Env,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
): ConfigResult {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    };
  }
  const e = parsed.data;
  const problems: string[] = [];

  let token = e.CLOUDFLARE_API_TOKEN ?? null;
  if (!token && e.CLOUDFLARE_API_TOKEN_FILE) {
    try {
      token = readFile(e.CLOUDFLARE_API_TOKEN_FILE).trim() || null;
      if (!token) problems.push("CLOUDFLARE_API_TOKEN_FILE: the file is empty");
    } catch {
      problems.push(`CLOUDFLARE_API_TOKEN_FILE: cannot read ${e.CLOUDFLARE_API_TOKEN_FILE}`);
    }
  }
  const parsedAccounts = parseAccounts(
    {
      file: e.CLOUDFLARE_ACCOUNTS_FILE,
      ids: e.CLOUDFLARE_ACCOUNT_ID,
      // A token file that could not be read still means a real deployment, not the sandbox.
      sharedToken: token ?? (e.CLOUDFLARE_API_TOKEN_FILE ? "" : null),
      api: e.AUDIT_LOGS_API,
      seed: e.SANDBOX_SEED,
      defaultId: SANDBOX_ACCOUNT_ID,
    },
    readFile,
  );
  if (!parsedAccounts.ok) problems.push(...parsedAccounts.problems);
  const accounts = parsedAccounts.ok ? parsedAccounts.accounts : [];
  const mode = parsedAccounts.ok
    ? parsedAccounts.mode
    : token || e.CLOUDFLARE_API_TOKEN_FILE
      ? "cloudflare"
      : "sandbox";

  const authMode: AuthMode | null = e.AUTH_MODE ?? (mode === "sandbox" ? "none" : null);
  let access: AccessSettings | null = null;
  let basic: Config["basic"] = null;
  if (authMode === "access") {
    if (!e.ACCESS_TEAM_DOMAIN) problems.push("ACCESS_TEAM_DOMAIN: required with AUTH_MODE=access");
    if (!e.ACCESS_AUD)
      problems.push("ACCESS_AUD: required with AUTH_MODE=access (the application's AUD tag)");
    if (e.ACCESS_TEAM_DOMAIN && e.ACCESS_AUD) {
      try {
        access = {
          origin: accessOrigin(e.ACCESS_TEAM_DOMAIN),
          audience: e.ACCESS_AUD,
          allowedEmails: e.ACCESS_ALLOWED_EMAILS,
          allowedServiceTokens: e.ACCESS_ALLOWED_SERVICE_TOKENS,
          allowAnyEmail: e.ACCESS_ALLOW_ANY_EMAIL,
          accountEmails: accounts.flatMap((a) => a.allowedEmails ?? []),
        };
      } catch {
        problems.push("ACCESS_TEAM_DOMAIN: expected a team name, a host name or an origin URL");
      }
    }
  }
  // Fail closed: without a list, Access alone decides who reads the logs, which must be a stated choice.
  if (authMode === "access") {
    const emails = e.ACCESS_ALLOWED_EMAILS.length > 0;
    // Accounts with lists of their own need no server-wide one; one without needs it.
    const everyAccountListed = accounts.length > 0 && accounts.every((a) => a.allowedEmails);
    if (
      !emails &&
      e.ACCESS_ALLOWED_SERVICE_TOKENS.length === 0 &&
      !e.ACCESS_ALLOW_ANY_EMAIL &&
      !everyAccountListed
    )
      problems.push(
        "ACCESS_ALLOWED_EMAILS: empty, so anyone Cloudflare Access admits could read the logs; list the emails (or *@domain) allowed, or set ACCESS_ALLOW_ANY_EMAIL=true to admit everyone Access admits",
      );
    if (emails && e.ACCESS_ALLOW_ANY_EMAIL)
      problems.push(
        "ACCESS_ALLOW_ANY_EMAIL: true admits every email, so ACCESS_ALLOWED_EMAILS would be ignored; set one of them",
      );
  }
  if (authMode === "basic") {
    if (!e.BASIC_AUTH_USER) problems.push("BASIC_AUTH_USER: required with AUTH_MODE=basic");
    if (!e.BASIC_AUTH_PASSWORD || e.BASIC_AUTH_PASSWORD.length < 12)
      problems.push("BASIC_AUTH_PASSWORD: required with AUTH_MODE=basic, at least 12 characters");
    else if (e.BASIC_AUTH_USER) basic = { user: e.BASIC_AUTH_USER, password: e.BASIC_AUTH_PASSWORD };
  }
  // Fail closed: a list that nothing enforces would look like protection.
  if (authMode !== "access")
    for (const account of accounts.filter((a) => a.allowedEmails))
      problems.push(
        `CLOUDFLARE_ACCOUNTS_FILE: account ${account.id}: allowedEmails is checked against the Cloudflare Access sign-in, so it needs AUTH_MODE=access`,
      );
  if (problems.length > 0) return { ok: false, problems };
  const first = accounts[0];

  return {
    ok: true,
    config: {
      mode,
      api: first.api,
      token: mode === "cloudflare" ? first.token : null,
      accountId: first.id,
      accounts,
      tokenGroup: first.tokenGroup,
      baseUrl: e.CLOUDFLARE_BASE_URL ?? DEFAULT_BASE_URL,
      authMode,
      access,
      basic,
      production: e.NODE_ENV === "production",
      basicAllowHttp: e.BASIC_AUTH_ALLOW_HTTP,
      trustedProxies: e.TRUSTED_PROXIES,
      exportMaxRows: e.EXPORT_MAX_ROWS,
      sandboxRateLimit: e.SANDBOX_RATE_LIMIT,
      statsMaxEntries: e.STATS_MAX_ENTRIES,
      walkCacheBytes: e.WALK_CACHE_BYTES,
      upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
      breakerResetMs: e.UPSTREAM_BREAKER_RESET_MS,
      redisUrl: e.REDIS_URL ?? null,
      budget: e.UPSTREAM_BUDGET,
      instances: e.UPSTREAM_INSTANCES,
      viewerShare: e.UPSTREAM_VIEWER_SHARE,
      sandbox: {
        now: e.SANDBOX_NOW ? new Date(e.SANDBOX_NOW) : null,
        clock: e.SANDBOX_CLOCK,
        seed: first.sandboxSeed,
        size: e.SANDBOX_SIZE,
      },
    },
  };
}

let cached: { key: string; result: ConfigResult } | null = null;

/** The configuration of the running server; re-parsed only when the relevant environment changes. */
export function getConfig(): ConfigResult {
  const env: Env = {};
  for (const k of ENV_KEYS) env[k] = process.env[k];
  const key = JSON.stringify(env);
  if (cached?.key !== key) {
    const result = parseConfig(env);
    if (!result.ok) console.error(`Audit Log Explorer is not configured: ${result.problems.join("; ")}`);
    cached = { key, result };
  }
  return cached.result;
}

/** The named variables, as set: for settings parsed beside this module (the archive's). */
export function envOf<K extends string>(keys: readonly K[]): Partial<Record<K, string>> {
  return Object.fromEntries(keys.map((k) => [k, process.env[k]])) as Partial<Record<K, string>>;
}
