import "server-only";
import { isEmailAllowed } from "./access-jwt";
import type { Viewer } from "./auth";
import type { Config } from "./config";
import { ACCOUNT_ID_RE, type Account } from "./config-accounts";
import { invalidQuery, ProblemError } from "./problem";

/** An account as the page may show it: no token, no allow-list. */
export interface AccountChoice {
  id: string;
  name: string;
  api: "v2" | "v1";
}

const derived = new WeakMap<Config, Map<string, Config>>();

/**
 * The configuration reading one account: its id, token, API version, seed and budget group in place
 * of the first account's. One object per account and configuration, so everything keyed by the
 * configuration (SDK clients, caches) is made once per account; the first account's is `config` itself.
 */
export function accountConfig(config: Config, account: Account): Config {
  if (account.id === config.accounts[0]?.id) return config;
  let byId = derived.get(config);
  if (!byId) derived.set(config, (byId = new Map()));
  let found = byId.get(account.id);
  if (!found) {
    found = {
      ...config,
      accountId: account.id,
      token: config.mode === "cloudflare" ? account.token : null,
      api: account.api,
      tokenGroup: account.tokenGroup,
      sandbox: { ...config.sandbox, seed: account.sandboxSeed },
    };
    byId.set(account.id, found);
  }
  return found;
}

/**
 * Whether a viewer may read an account. Only Access sign-in knows who reads: an account with a list of
 * its own admits the emails on it, any other account whoever the server-wide sign-in admitted (someone
 * admitted only by another account's list is not).
 */
export function maySee(config: Config, viewer: Viewer, account: Account): boolean {
  if (config.authMode !== "access" || viewer.method !== "access") return true;
  if (account.allowedEmails)
    return viewer.email !== null && isEmailAllowed(viewer.email, account.allowedEmails);
  const access = config.access;
  if (!access) return false;
  if (viewer.email === null) return true;
  return access.allowAnyEmail || isEmailAllowed(viewer.email, access.allowedEmails);
}

/** The accounts a viewer may read, in the configured order: the first is their default. */
export function visibleAccounts(config: Config, viewer: Viewer): Account[] {
  return config.accounts.filter((account) => maySee(config, viewer, account));
}

/** The same answer whether the account exists for others or not: it says nothing about the account. */
function notAllowed(): ProblemError {
  return new ProblemError({
    status: 403,
    slug: "forbidden",
    title: "Not allowed",
    detail: "You are signed in, but this identity is not allowed to read these audit logs.",
  });
}

const badAccount = (message: string) => new ProblemError(invalidQuery([{ parameter: "account", message }]));

/**
 * The configuration for the `account` a request names, or for the viewer's first account without one.
 * A malformed or unknown id is a 400 naming `account`; an account the viewer may not read, a 403.
 */
export function resolveAccount(config: Config, viewer: Viewer, params: URLSearchParams): Config {
  const asked = params.getAll("account");
  if (asked.length > 1) throw badAccount("Given more than once; expected a single value.");
  if (asked.length === 0) {
    const first = visibleAccounts(config, viewer)[0];
    if (!first) throw notAllowed();
    return accountConfig(config, first);
  }
  const id = asked[0].trim().toLowerCase();
  if (!ACCOUNT_ID_RE.test(id)) throw badAccount("Expected an account ID: 32 hexadecimal characters.");
  const account = config.accounts.find((a) => a.id === id);
  if (!account) throw badAccount("No such account is configured on this server.");
  if (!maySee(config, viewer, account)) throw notAllowed();
  return accountConfig(config, account);
}

/** What the page's account switcher lists for a viewer. */
export function accountChoices(config: Config, viewer: Viewer): AccountChoice[] {
  return visibleAccounts(config, viewer).map(({ id, name, api }) => ({ id, name, api }));
}

/**
 * How exports name the account, in file names and manifests: the sandbox's only account is `sandbox`;
 * otherwise the account id.
 */
export function accountLabel(
  config: Pick<Config, "mode" | "accountId"> & Partial<Pick<Config, "accounts">>,
): string {
  return config.mode === "sandbox" && (config.accounts?.length ?? 1) <= 1 ? "sandbox" : config.accountId;
}
