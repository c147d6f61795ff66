/**
 * Who acts in the sandbox account: people (dashboard, API, API key, OAuth apps), API tokens (user-
 * and account-owned), Cloudflare's own systems and Cloudflare administrators. An "identity" is one
 * way an actor shows up in a log entry (actor fields + context + token), with the addresses and user
 * agents it uses, the resource types it touches and how often it acts.
 */
import { BROWSERS, PEOPLE, SCRIPTS, TEAM_PRODUCTS, TOKENS } from "./people";
import { RESOURCE_TYPES } from "./products";
import { hash3, hex32 } from "./prng";

export type ActorType = "user" | "account" | "system" | "cloudflare_admin";
export type Context = "dash" | "api" | "api_token" | "oauth" | "api_key" | "origin_ca_key";

export interface Identity {
  /** `null` for account-owned tokens: the actor id is the account's id. */
  actorId: string | null;
  type: ActorType;
  context: Context;
  email: string;
  tokenId: string;
  tokenName: string;
  /** Indexes into the dataset's address table (0 = no address). */
  ips: number[];
  userAgents: readonly string[];
  /** Resource type indexes this identity touches. */
  types: number[];
  weight: number;
}

/** Every identity has the same fields in the same order (one object shape for the hot loops). */
function make(fields: Partial<Identity> & Pick<Identity, "type" | "context" | "types" | "weight">): Identity {
  const {
    actorId = null,
    type,
    context,
    email = "",
    tokenId = "",
    tokenName = "",
    ips = [0],
    userAgents = [""],
  } = fields;
  return {
    actorId,
    type,
    context,
    email,
    tokenId,
    tokenName,
    ips,
    userAgents,
    types: fields.types,
    weight: fields.weight,
  };
}

function typesOf(products: readonly string[], only?: readonly string[]): number[] {
  const out: number[] = [];
  RESOURCE_TYPES.forEach((t, i) => {
    if (products.includes(t.product) && (!only || only.includes(t.type))) out.push(i);
  });
  return out;
}

const rows = (table: string) =>
  table
    .trim()
    .split("\n")
    .map((line) => line.split("|").map((cell) => cell.trim()));

/** Builds the address table (index 0 is the empty address) and the identities, from the seed. */
export function buildActors(seed: number): { ips: string[]; identities: Identity[] } {
  const ips: string[] = [""];
  const ip = (text: string) => ips.push(text) - 1;
  const h = (n: number, salt: number) => hash3(seed, n, salt);
  const hex = (n: number, salt: number, max: number) => (h(n, salt) % max).toString(16);
  const office = [ip(`203.0.113.${10 + (h(1, 1) % 200)}`), ip(`198.51.100.${10 + (h(2, 1) % 200)}`)];
  const officeV6 = ip(`2001:db8:4a2c:10::${hex(3, 1, 0xfff)}`);
  const ciRunners = [
    ip(`20.102.${h(4, 1) % 255}.${h(5, 1) % 255}`),
    ip(`2603:1030:b:3::${hex(6, 1, 0xfff)}`),
  ];
  const identities: Identity[] = [];

  const people = rows(PEOPLE).map(([, local, domain, team], n) => {
    const home = ip(
      `${[81, 73, 92, 109, 176][n % 5]}.${h(n, 2) % 256}.${h(n, 3) % 256}.${1 + (h(n, 4) % 254)}`,
    );
    const groups = [0x8100 + (h(n, 5) % 0xff), ...[6, 7, 8, 9, 10, 11].map((salt) => h(n, salt) % 0xffff)];
    const v6 = ip(`2a02:${groups.map((g) => g.toString(16)).join(":")}`);
    const person = {
      actorId: hex32(seed, n, 300),
      type: "user" as const,
      email: `${local}@${domain}`,
      ips: [office[n % 2], home, v6, ...(n % 3 === 0 ? [officeV6] : [])],
    };
    const types = typesOf(TEAM_PRODUCTS[team]);
    const browser = [BROWSERS[n % BROWSERS.length]];
    identities.push(
      make({ ...person, context: "dash", userAgents: browser, types, weight: team === "admin" ? 3 : 2 }),
    );
    identities.push(make({ ...person, context: "api", userAgents: SCRIPTS, types, weight: 0.3 }));
    if (team === "admin")
      identities.push(make({ ...person, context: "api_key", userAgents: SCRIPTS, types, weight: 0.2 }));
    if (team === "dev" || team === "network") {
      const [tokenName, agent, product] =
        team === "dev"
          ? ["Wrangler", "wrangler/4.14.1", "Workers"]
          : ["cloudflared", "cloudflared/2026.9.0", "Tunnels"];
      const oauth = { tokenId: hex32(seed, team === "dev" ? 900 : 901, 310), tokenName, userAgents: [agent] };
      identities.push(
        make({ ...person, ...oauth, context: "oauth", types: typesOf([product]), weight: 0.5 }),
      );
    }
    return person;
  });

  rows(TOKENS).forEach(([name, owner, products, only, weight, agent], n) => {
    const who = owner === "-" ? { type: "account" as const } : people[Number(owner)];
    const types = typesOf(products.split(","), only === "*" ? undefined : only.split(","));
    const token = { tokenId: hex32(seed, n, 320), tokenName: name, ips: ciRunners, userAgents: [agent] };
    identities.push(make({ ...who, ...token, context: "api_token", types, weight: Number(weight) }));
  });

  const alice = { ...people[0], ips: office };
  const certificates = typesOf(["SSL/TLS"], ["Certificate pack"]);
  identities.push(
    make({
      ...alice,
      context: "origin_ca_key",
      userAgents: ["curl/8.7.1"],
      types: certificates,
      weight: 0.1,
    }),
  );
  const automated = typesOf(
    ["SSL/TLS", "Logpush", "Access"],
    ["Certificate pack", "Logpush job", "Access service token"],
  );
  identities.push(
    make({ actorId: hex32(seed, 0, 330), type: "system", context: "api", types: automated, weight: 1.6 }),
  );
  const support = typesOf(
    ["Members", "WAF", "SSL/TLS", "Gateway"],
    ["Member", "Managed ruleset", "SSL setting", "Gateway configuration"],
  );
  const staff = { actorId: hex32(seed, 1, 330), userAgents: [BROWSERS[1]], types: support, weight: 0.08 };
  identities.push(make({ ...staff, type: "cloudflare_admin", context: "dash" }));
  return { ips, identities };
}
