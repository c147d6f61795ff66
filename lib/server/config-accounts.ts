import "server-only";
import { z } from "zod";
import { accountSeed } from "@/lib/sandbox/accounts";

/**
 * The Cloudflare accounts a server reads, from `CLOUDFLARE_ACCOUNTS_FILE` (each with its own token) or
 * from `CLOUDFLARE_ACCOUNT_ID` (a comma-separated list sharing one token). Parsed once, with the
 * configuration; a problem names the entry at fault and never quotes a token.
 */
export interface Account {
  /** 32 hexadecimal characters, lower case. */
  id: string;
  /** What the header's switcher shows. */
  name: string;
  /** null in sandbox mode. */
  token: string | null;
  api: "v2" | "v1";
  /** Emails (or `*@domain`) that may read this account under Access; null: the server-wide list decides. */
  allowedEmails: string[] | null;
  /** Accounts sharing one token share its call budget: the id of the first account using this token. */
  tokenGroup: string;
  /** The in-process sandbox's seed for this account, so each account has rows of its own. */
  sandboxSeed: number;
}

export const ACCOUNT_ID_RE = /^[0-9a-f]{32}$/i;
const ACCOUNT_ID_HINT = "must be 32 hexadecimal characters (the account ID in the dashboard URL)";

const entrySchema = z
  .object({
    id: z.string().trim().regex(ACCOUNT_ID_RE, ACCOUNT_ID_HINT),
    name: z.string().trim().min(1, "must not be empty").max(100, "at most 100 characters"),
    token: z.string().trim().min(1, "must not be empty").optional(),
    tokenFile: z.string().trim().min(1, "must not be empty").optional(),
    allowedEmails: z
      .array(z.string().trim().min(1, "must not be empty"))
      .min(1, "must list at least one email; leave it out to use ACCESS_ALLOWED_EMAILS")
      .optional(),
    api: z.enum(["v2", "v1"]).optional(),
  })
  .strict()
  .refine((e) => !(e.token && e.tokenFile), { message: "give token or tokenFile, not both" });

type Entry = z.infer<typeof entrySchema>;

export interface AccountSources {
  file?: string;
  /** CLOUDFLARE_ACCOUNT_ID as written. */
  ids?: string;
  /** CLOUDFLARE_API_TOKEN or the contents of CLOUDFLARE_API_TOKEN_FILE ("" when unreadable); null: none. */
  sharedToken: string | null;
  api: "v2" | "v1";
  seed: number;
  defaultId: string;
}

export type AccountsResult =
  { ok: true; accounts: Account[]; mode: "sandbox" | "cloudflare" } | { ok: false; problems: string[] };

/** Where an entry is, for a problem: its position and id, never its token. */
function entryLabel(index: number, raw: unknown): string {
  const id = typeof raw === "object" && raw && "id" in raw && typeof raw.id === "string" ? raw.id : null;
  const safeId = id && /^[\w-]{1,64}$/.test(id) ? ` (id ${id})` : "";
  return `CLOUDFLARE_ACCOUNTS_FILE: entry ${index + 1}${safeId}`;
}

function readEntries(
  path: string,
  readFile: (path: string) => string,
): { ok: true; entries: Entry[] } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(readFile(path));
  } catch (error) {
    const reason = error instanceof SyntaxError ? "is not valid JSON" : "cannot be read";
    return { ok: false, problems: [`CLOUDFLARE_ACCOUNTS_FILE: ${path} ${reason}`] };
  }
  if (!Array.isArray(json) || json.length === 0)
    return {
      ok: false,
      problems: [
        'CLOUDFLARE_ACCOUNTS_FILE: expected a non-empty JSON array of { "id", "name", "token" | "tokenFile", "allowedEmails"?, "api"? }',
      ],
    };
  const problems: string[] = [];
  const entries: Entry[] = [];
  json.forEach((raw, index) => {
    const parsed = entrySchema.safeParse(raw);
    if (parsed.success) entries.push(parsed.data);
    // zod's messages name the field and the expectation, never the value given.
    else
      for (const issue of parsed.error.issues)
        problems.push(`${entryLabel(index, raw)}: ${issue.path.join(".") || "entry"}: ${issue.message}`);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, entries };
}

function tokenOf(
  entry: Entry,
  label: string,
  readFile: (path: string) => string,
  problems: string[],
): string | null {
  if (entry.token) return entry.token;
  if (!entry.tokenFile) return null;
  try {
    const token = readFile(entry.tokenFile).trim();
    if (!token) problems.push(`${label}: tokenFile ${entry.tokenFile} is empty`);
    return token || null;
  } catch {
    problems.push(`${label}: tokenFile: cannot read ${entry.tokenFile}`);
    return null;
  }
}

/** Group accounts by token: each gets the id of the first account holding the same token. */
function withGroups(accounts: Omit<Account, "tokenGroup">[]): Account[] {
  const firstByToken = new Map<string | null, string>();
  return accounts.map((account) => {
    if (!firstByToken.has(account.token)) firstByToken.set(account.token, account.id);
    return { ...account, tokenGroup: firstByToken.get(account.token)! };
  });
}

/** The accounts of a configuration, and whether a token makes it cloudflare mode. */
export function parseAccounts(sources: AccountSources, readFile: (path: string) => string): AccountsResult {
  const { file, ids, sharedToken, api, seed, defaultId } = sources;
  if (file) {
    if (ids || sharedToken !== null)
      return {
        ok: false,
        problems: [
          "CLOUDFLARE_ACCOUNTS_FILE: set either it (each account with its token) or CLOUDFLARE_ACCOUNT_ID with CLOUDFLARE_API_TOKEN, not both",
        ],
      };
    const read = readEntries(file, readFile);
    if (!read.ok) return read;
    const problems: string[] = [];
    const seen = new Set<string>();
    const withToken = read.entries.filter((e) => e.token || e.tokenFile).length;
    const accounts = read.entries.map((entry, index) => {
      const label = entryLabel(index, entry);
      const id = entry.id.toLowerCase();
      if (seen.has(id)) problems.push(`${label}: id: listed twice`);
      seen.add(id);
      // All or none: a file with some tokens is a real deployment, and an entry without one a mistake.
      if (withToken > 0 && !entry.token && !entry.tokenFile)
        problems.push(`${label}: token: required (or tokenFile) when other entries have one`);
      return {
        id,
        name: entry.name,
        token: tokenOf(entry, label, readFile, problems),
        api: entry.api ?? api,
        allowedEmails: entry.allowedEmails ?? null,
        sandboxSeed: accountSeed(seed, id, index),
      };
    });
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, accounts: withGroups(accounts), mode: withToken > 0 ? "cloudflare" : "sandbox" };
  }

  const list = (ids ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  if (list.length === 0) {
    if (sharedToken !== null || ids !== undefined)
      return {
        ok: false,
        problems: ["CLOUDFLARE_ACCOUNT_ID: required with a token (32 hexadecimal characters)"],
      };
    const account = {
      id: defaultId,
      name: "Sandbox",
      token: null,
      api,
      allowedEmails: null,
      sandboxSeed: seed,
    };
    return { ok: true, accounts: withGroups([account]), mode: "sandbox" };
  }
  const problems: string[] = [];
  const bad = list.filter((id) => !ACCOUNT_ID_RE.test(id));
  if (bad.length > 0)
    problems.push(
      `CLOUDFLARE_ACCOUNT_ID: ${list.length > 1 ? "each account ID " : ""}${ACCOUNT_ID_HINT}${list.length > 1 ? ` (not ${bad.map((id) => JSON.stringify(id.slice(0, 40))).join(", ")})` : ""}`,
    );
  const lower = list.map((id) => id.toLowerCase());
  const twice = lower.filter((id, i) => lower.indexOf(id) !== i);
  if (twice.length > 0) problems.push(`CLOUDFLARE_ACCOUNT_ID: ${twice[0]} is listed twice`);
  if (problems.length > 0) return { ok: false, problems };
  const accounts = lower.map((id, index) => ({
    id,
    name: id,
    token: sharedToken,
    api,
    allowedEmails: null,
    sandboxSeed: accountSeed(seed, id, index),
  }));
  return { ok: true, accounts: withGroups(accounts), mode: sharedToken !== null ? "cloudflare" : "sandbox" };
}
