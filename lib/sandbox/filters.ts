/**
 * Filters compiled to a predicate over entry indexes. Most fields live in small tables (identities,
 * operations, zones, addresses, status codes), so each filter becomes a lookup mask over its table
 * and testing an entry costs a few array reads. Semantics: OR within one key, AND across keys, and
 * `.not` values exclude.
 */
import { ACCOUNT_NAME, ACTIONS, type Dataset } from "./dataset";
import { inRange, parseAddress, parseRange } from "./ip";
import { PRODUCT_CATEGORIES, RESOURCE_TYPES } from "./products";
import { decodeEntryId, decodeRayId } from "./prng";
import type { FilterName, Filters, FilterValues } from "./query";
import { uriOf } from "./record";
import { decodeResourceId } from "./resources";

export type Predicate = (i: number) => boolean;

type Matches = (value: string, wanted: string) => boolean;
const exact: Matches = (value, wanted) => value === wanted;
const caseless: Matches = (value, wanted) => value.toLowerCase() === wanted.toLowerCase();

function narrow(
  target: Uint8Array,
  values: FilterValues | undefined,
  valueOf: (k: number) => string,
  matches = exact,
) {
  if (!values) return;
  for (let k = 0; k < target.length; k++) {
    const value = valueOf(k);
    if (values.in.length > 0 && !values.in.some((w) => matches(value, w))) target[k] = 0;
    if (values.not.some((w) => matches(value, w))) target[k] = 0;
  }
}

/**
 * Sandbox decision (Cloudflare documents ranges for v1 `actor.ip` only): `actor_ip_address` values
 * may be CIDR ranges too, IPv4 or IPv6; a value that is neither an address nor a range matches the
 * logged text exactly.
 */
const addressMatches: Matches = (value, wanted) => {
  const range = parseRange(wanted);
  if (!range) return value === wanted;
  const address = parseAddress(value);
  return address !== null && inRange(range, address);
};

/** A mask over a value derived by index (entry or resource) from decoded ids. */
function indexSets(
  values: FilterValues,
  decode: (text: string) => number | number[],
): { in: Set<number> | null; not: Set<number> } {
  const set = (list: string[]) => new Set(list.flatMap((text) => decode(text)).filter((n) => n >= 0));
  return { in: values.in.length ? set(values.in) : null, not: set(values.not) };
}

/** Compiles v2 filters; `null` means every entry matches. */
export function compileFilters(ds: Dataset, accountId: string, filters: Filters): Predicate | null {
  const f = (name: FilterName) => filters.byName.get(name);
  if (filters.byName.size === 0 && filters.categories.length === 0) return null;
  const account = f("account_name");
  if (
    account &&
    ((account.in.length && !account.in.includes(ACCOUNT_NAME)) || account.not.includes(ACCOUNT_NAME))
  )
    return () => false;

  const who = ds.identities;
  const identOk = new Uint8Array(who.length).fill(1);
  narrow(identOk, f("actor_context"), (k) => who[k].context);
  narrow(identOk, f("actor_email"), (k) => who[k].email, caseless);
  narrow(identOk, f("actor_id"), (k) => who[k].actorId ?? accountId);
  narrow(identOk, f("actor_token_id"), (k) => who[k].tokenId);
  narrow(identOk, f("actor_token_name"), (k) => who[k].tokenName);
  narrow(identOk, f("actor_type"), (k) => who[k].type);

  const opOk = new Uint8Array(RESOURCE_TYPES.length * 3).fill(1);
  const def = (k: number) => RESOURCE_TYPES[(k / 3) | 0];
  const action = (k: number) => ACTIONS[k % 3];
  narrow(opOk, f("action_type"), action);
  narrow(
    opOk,
    f("raw_method"),
    (k) => (action(k) === "create" ? "POST" : action(k) === "delete" ? "DELETE" : def(k).update),
    caseless,
  );
  narrow(opOk, f("resource_type"), (k) => def(k).type);
  narrow(opOk, f("resource_scope"), (k) => def(k).scope);
  // product_category expands to products and is unioned with explicit resource_product values.
  const product = f("resource_product");
  const fromCategories = PRODUCT_CATEGORIES.filter((c) => filters.categories.includes(c.value)).flatMap((c) =>
    c.products.map((p) => p.value),
  );
  if (product || fromCategories.length) {
    narrow(
      opOk,
      { in: [...(product?.in ?? []), ...fromCategories], not: product?.not ?? [] },
      (k) => def(k).product,
    );
  }

  const zoneOk = new Uint8Array(ds.zones.length).fill(1);
  narrow(zoneOk, f("zone_id"), (k) => ds.zones[k].id);
  narrow(zoneOk, f("zone_name"), (k) => ds.zones[k].name, caseless);
  const ipOk = new Uint8Array(ds.ips.length).fill(1);
  narrow(ipOk, f("actor_ip_address"), (k) => ds.ips[k], addressMatches);
  const statusOk = new Uint8Array(600).fill(1);
  narrow(
    statusOk,
    f("raw_status_code"),
    (k) => String(k),
    (value, wanted) => Number(value) === Number(wanted),
  );
  narrow(statusOk, f("action_result"), (k) => (k < 400 ? "success" : "failure"));

  const extras: Predicate[] = [];
  const resource = f("resource_id");
  if (resource) {
    const sets = indexSets(resource, (text) => decodeResourceId(ds, text));
    extras.push((i) => (sets.in === null || sets.in.has(ds.res[i])) && !sets.not.has(ds.res[i]));
  }
  for (const [name, decode] of [
    ["id", decodeEntryId],
    ["raw_cf_ray_id", decodeRayId],
  ] as const) {
    const values = f(name);
    if (!values) continue;
    const sets = indexSets(values, (text) => decode(ds.seed, text, ds.size));
    extras.push((i) => (sets.in === null || sets.in.has(i)) && !sets.not.has(i));
  }
  const uri = f("raw_uri");
  if (uri) {
    const inc = new Set(uri.in);
    const exc = new Set(uri.not);
    extras.push((i) => {
      const value = uriOf(ds, i, accountId);
      return (inc.size === 0 || inc.has(value)) && !exc.has(value);
    });
  }

  const { ident, op, zone, ip, status } = ds;
  const base: Predicate = (i) =>
    identOk[ident[i]] === 1 &&
    opOk[op[i]] === 1 &&
    zoneOk[zone[i]] === 1 &&
    ipOk[ip[i]] === 1 &&
    statusOk[status[i]] === 1;
  if (extras.length === 0) return base;
  return (i) => base(i) && extras.every((p) => p(i));
}
