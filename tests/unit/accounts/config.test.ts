import { describe, expect, it } from "vitest";
import { accountSeed, parseSandboxAccounts } from "@/lib/sandbox/accounts";
import { SANDBOX_ACCOUNT_ID, SANDBOX_SEED } from "@/lib/sandbox/constants";
import { savedViewsKey, viewHref, viewSearch } from "@/lib/saved-views";
import { accountConfig, accountLabel } from "@/lib/server/accounts";
import { parseConfig, type Config } from "@/lib/server/config";

const A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const SECRET_A = "token-of-account-a-never-shown";
const SECRET_B = "token-of-account-b-never-shown";

/** Files by path, for `parseConfig`'s reader; a missing path throws as the file system would. */
function files(contents: Record<string, string>) {
  return (path: string) => {
    if (!(path in contents)) throw new Error(`ENOENT: ${path}`);
    return contents[path];
  };
}

const withFile = (entries: unknown, env: Record<string, string> = {}, extra: Record<string, string> = {}) =>
  parseConfig(
    { CLOUDFLARE_ACCOUNTS_FILE: "/etc/accounts.json", AUTH_MODE: "none", ...env },
    files({ "/etc/accounts.json": JSON.stringify(entries), ...extra }),
  );

function ok(result: ReturnType<typeof parseConfig>): Config {
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result.config;
}
const problems = (result: ReturnType<typeof parseConfig>) => (result.ok ? [] : result.problems);

describe("CLOUDFLARE_ACCOUNTS_FILE", () => {
  it("serves every account of the file, each with its own token, the first by default", () => {
    const config = ok(
      withFile(
        [
          { id: A.toUpperCase(), name: "Production", token: SECRET_A },
          { id: B, name: "Staging", tokenFile: "/run/secrets/b", api: "v1" },
        ],
        {},
        { "/run/secrets/b": `${SECRET_B}\n` },
      ),
    );
    expect(config.mode).toBe("cloudflare");
    expect(config.accounts.map(({ id, name, api }) => ({ id, name, api }))).toEqual([
      { id: A, name: "Production", api: "v2" },
      { id: B, name: "Staging", api: "v1" },
    ]);
    expect(config).toMatchObject({ accountId: A, token: SECRET_A, api: "v2", tokenGroup: A });
    const staging = accountConfig(config, config.accounts[1]);
    expect(staging).toMatchObject({ accountId: B, token: SECRET_B, api: "v1", tokenGroup: B });
    // One object per account, so whatever is keyed by the configuration is made once per account.
    expect(accountConfig(config, config.accounts[1])).toBe(staging);
    expect(accountConfig(config, config.accounts[0])).toBe(config);
  });

  it("names the bad entry and what is wrong with it, and never quotes a token", () => {
    const result = withFile([
      { id: A, name: "Production", token: SECRET_A },
      { id: B, name: "", token: SECRET_B, tokn: SECRET_B },
      { id: "not-an-id", name: "Third", token: 42 },
    ]);
    const list = problems(result);
    expect(list).toContainEqual(
      expect.stringMatching(/^CLOUDFLARE_ACCOUNTS_FILE: entry 2 \(id b{32}\): name: /),
    );
    expect(list).toContainEqual(expect.stringMatching(/^CLOUDFLARE_ACCOUNTS_FILE: entry 2 .*tokn/));
    expect(list).toContainEqual(
      expect.stringMatching(/^CLOUDFLARE_ACCOUNTS_FILE: entry 3 \(id not-an-id\): id: /),
    );
    expect(list).toContainEqual(expect.stringMatching(/^CLOUDFLARE_ACCOUNTS_FILE: entry 3 .*: token: /));
    expect(list.some((p) => p.startsWith("CLOUDFLARE_ACCOUNTS_FILE: entry 1"))).toBe(false);
    expect(JSON.stringify(result)).not.toContain(SECRET_B);
    expect(JSON.stringify(result)).not.toContain(SECRET_A);
  });

  it("refuses a file that is missing, not JSON, empty, or lists an account twice", () => {
    const missing = parseConfig({ CLOUDFLARE_ACCOUNTS_FILE: "/nope.json", AUTH_MODE: "none" }, files({}));
    expect(problems(missing)).toEqual(["CLOUDFLARE_ACCOUNTS_FILE: /nope.json cannot be read"]);
    const notJson = parseConfig(
      { CLOUDFLARE_ACCOUNTS_FILE: "/a.json", AUTH_MODE: "none" },
      files({ "/a.json": "[{" }),
    );
    expect(problems(notJson)).toEqual(["CLOUDFLARE_ACCOUNTS_FILE: /a.json is not valid JSON"]);
    expect(problems(withFile([]))[0]).toMatch(/^CLOUDFLARE_ACCOUNTS_FILE: expected a non-empty JSON array/);
    const twice = withFile([
      { id: A, name: "One", token: SECRET_A },
      { id: A.toUpperCase(), name: "Two", token: SECRET_B },
    ]);
    expect(problems(twice)).toEqual([
      `CLOUDFLARE_ACCOUNTS_FILE: entry 2 (id ${A.toUpperCase()}): id: listed twice`,
    ]);
  });

  it("refuses a token file that cannot be read or is empty, naming the entry", () => {
    const result = withFile(
      [
        { id: A, name: "One", tokenFile: "/run/secrets/a" },
        { id: B, name: "Two", tokenFile: "/run/secrets/missing" },
      ],
      {},
      { "/run/secrets/a": "  \n" },
    );
    expect(problems(result)).toEqual([
      `CLOUDFLARE_ACCOUNTS_FILE: entry 1 (id ${A}): tokenFile /run/secrets/a is empty`,
      `CLOUDFLARE_ACCOUNTS_FILE: entry 2 (id ${B}): tokenFile: cannot read /run/secrets/missing`,
    ]);
  });

  it("is either the file or CLOUDFLARE_ACCOUNT_ID with a token, not both", () => {
    const result = withFile([{ id: A, name: "One", token: SECRET_A }], { CLOUDFLARE_API_TOKEN: SECRET_B });
    expect(problems(result)[0]).toMatch(/^CLOUDFLARE_ACCOUNTS_FILE: set either it/);
    expect(JSON.stringify(result)).not.toContain(SECRET_B);
  });

  it("runs the sandbox for every account when no entry has a token, and needs one on every entry otherwise", () => {
    const config = ok(
      withFile([
        { id: A, name: "One" },
        { id: B, name: "Two" },
      ]),
    );
    expect(config.mode).toBe("sandbox");
    expect(config.token).toBeNull();
    const mixed = withFile([
      { id: A, name: "One", token: SECRET_A },
      { id: B, name: "Two" },
    ]);
    expect(problems(mixed)).toEqual([
      `CLOUDFLARE_ACCOUNTS_FILE: entry 2 (id ${B}): token: required (or tokenFile) when other entries have one`,
    ]);
  });
});

describe("CLOUDFLARE_ACCOUNT_ID as a list", () => {
  it("serves several accounts sharing one token, and so one budget", () => {
    const config = ok(
      parseConfig({ CLOUDFLARE_API_TOKEN: SECRET_A, CLOUDFLARE_ACCOUNT_ID: `${A}, ${B}`, AUTH_MODE: "none" }),
    );
    expect(config.accounts.map((a) => a.id)).toEqual([A, B]);
    const second = accountConfig(config, config.accounts[1]);
    expect(second.token).toBe(SECRET_A);
    expect(second.tokenGroup).toBe(config.tokenGroup);
  });

  it("names a malformed or repeated id", () => {
    expect(
      problems(
        parseConfig({ CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_ACCOUNT_ID: `${A},xyz`, AUTH_MODE: "none" }),
      ),
    ).toEqual([
      'CLOUDFLARE_ACCOUNT_ID: each account ID must be 32 hexadecimal characters (the account ID in the dashboard URL) (not "xyz")',
    ]);
    expect(
      problems(
        parseConfig({ CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_ACCOUNT_ID: `${A},${A}`, AUTH_MODE: "none" }),
      ),
    ).toEqual([`CLOUDFLARE_ACCOUNT_ID: ${A} is listed twice`]);
  });

  it("gives each sandbox account data of its own, the first on SANDBOX_SEED", () => {
    const config = ok(parseConfig({ CLOUDFLARE_ACCOUNT_ID: `${A},${B}` }));
    expect(config.mode).toBe("sandbox");
    expect(config.sandbox.seed).toBe(SANDBOX_SEED);
    const second = accountConfig(config, config.accounts[1]);
    expect(second.sandbox.seed).toBe(accountSeed(SANDBOX_SEED, B, 1));
    expect(second.sandbox.seed).not.toBe(SANDBOX_SEED);
    // Several sandbox accounts are told apart in exports; the sandbox alone keeps its name.
    expect(accountLabel(second)).toBe(B);
    expect(accountLabel(ok(parseConfig({})))).toBe("sandbox");
    expect(ok(parseConfig({})).accountId).toBe(SANDBOX_ACCOUNT_ID);
  });
});

describe("per-account allow-lists", () => {
  const access = (extra: Record<string, string> = {}) => ({
    AUTH_MODE: "access",
    ACCESS_TEAM_DOMAIN: "acme",
    ACCESS_AUD: "aud",
    ...extra,
  });

  it("need no server-wide list when every account has its own", () => {
    const config = ok(
      withFile(
        [
          { id: A, name: "One", token: SECRET_A, allowedEmails: ["alice@example.com"] },
          { id: B, name: "Two", token: SECRET_B, allowedEmails: ["*@example.org"] },
        ],
        access(),
      ),
    );
    expect(config.access?.allowedEmails).toEqual([]);
    expect(config.access?.accountEmails).toEqual(["alice@example.com", "*@example.org"]);
  });

  it("still need a server-wide decision for an account without one", () => {
    const result = withFile(
      [
        { id: A, name: "One", token: SECRET_A, allowedEmails: ["alice@example.com"] },
        { id: B, name: "Two", token: SECRET_B },
      ],
      access(),
    );
    expect(problems(result)[0]).toMatch(/^ACCESS_ALLOWED_EMAILS: empty/);
  });

  it("are refused without Access sign-in, which is what they are checked against", () => {
    const result = withFile([{ id: A, name: "One", token: SECRET_A, allowedEmails: ["alice@example.com"] }], {
      AUTH_MODE: "basic",
      BASIC_AUTH_USER: "admin",
      BASIC_AUTH_PASSWORD: "a-long-password",
    });
    expect(problems(result)).toEqual([
      `CLOUDFLARE_ACCOUNTS_FILE: account ${A}: allowedEmails is checked against the Cloudflare Access sign-in, so it needs AUTH_MODE=access`,
    ]);
  });
});

describe("SANDBOX_ACCOUNTS", () => {
  it("reads id:token pairs and names a malformed one", () => {
    expect(parseSandboxAccounts(`${A}:one, ${B.toUpperCase()}:two`)).toEqual([
      { id: A, token: "one" },
      { id: B, token: "two" },
    ]);
    expect(() => parseSandboxAccounts(`${A}:one,${B}`)).toThrow("SANDBOX_ACCOUNTS: entry 2");
  });
});

describe("saved views across accounts", () => {
  it("keep no account in a view, and open a view in the account being read", () => {
    expect(viewSearch(`?range=7d&account=${B}&action_type=delete&log=x`)).toBe("range=7d&action_type=delete");
    expect(viewHref(`range=7d&account=${A}`, B)).toBe(`/?range=7d&account=${B}`);
    expect(viewHref("range=7d", null)).toBe("/?range=7d");
    expect(savedViewsKey(A)).not.toBe(savedViewsKey(B));
  });
});
