/** The accounts a sandbox serves, each with its bearer token and its own data. */
export interface SandboxAccount {
  id: string;
  token: string;
}

/**
 * The seed of the `index`-th account: the first keeps the sandbox seed as it is; each later one gets a
 * seed derived from it and the account id (FNV-1a), so every account has rows of its own, the same
 * in the dashboard's in-process sandbox and in the standalone one.
 */
export function accountSeed(seed: number, id: string, index: number): number {
  if (index === 0) return seed;
  let hash = 0x811c9dc5 ^ seed;
  for (const char of id) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}

/** `id:token,id:token` (SANDBOX_ACCOUNTS) as accounts; throws naming the malformed entry. */
export function parseSandboxAccounts(text: string): SandboxAccount[] {
  return text
    .split(",")
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair, index) => {
      const at = pair.indexOf(":");
      const id = pair.slice(0, at).trim().toLowerCase();
      const token = pair.slice(at + 1).trim();
      if (at < 0 || !/^[0-9a-f]{32}$/.test(id) || !token)
        throw new Error(`SANDBOX_ACCOUNTS: entry ${index + 1} is not <32-hex account id>:<token>`);
      return { id, token };
    });
}
