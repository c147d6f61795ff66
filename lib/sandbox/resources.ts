/**
 * Resource ids: derived from the resource number on demand (never stored) and decodable back to it,
 * so the `resource_id` filter is a lookup, not a scan. Their look depends on the type: UUIDs (Access,
 * Gateway…), 32-hex ids (DNS records, members…), script names, integer Logpush job ids, and fixed
 * names for settings.
 */
import type { Dataset } from "./dataset";
import { RESOURCE_TYPES } from "./products";
import { decodeIndexHex, decodeIndexUuid, indexHex, indexUuid } from "./prng";

const SALT = 400;
const JOB_BASE = 104_000;

export function resourceId(ds: Dataset, n: number): string {
  const def = RESOURCE_TYPES[ds.resType[n]];
  switch (def.idKind) {
    case "uuid":
      return indexUuid(ds.seed, n, SALT);
    case "hex32":
      return indexHex(ds.seed, n, SALT, 4);
    case "name":
      return `${def.names[n % def.names.length]}-${n.toString(36)}`;
    case "int":
      return String(JOB_BASE + n * 7);
    case "singleton":
      return def.singletonId ?? "settings";
  }
}

/** The resource numbers whose id is `text` (several for a setting that exists once per zone). */
export function decodeResourceId(ds: Dataset, text: string): number[] {
  const found: number[] = [];
  const check = (n: number) => {
    if (n >= 0 && n < ds.resCount && resourceId(ds, n) === text) found.push(n);
  };
  check(decodeIndexUuid(ds.seed, text, SALT, ds.resCount));
  check(decodeIndexHex(ds.seed, text, SALT, 4, ds.resCount));
  const dash = text.lastIndexOf("-");
  if (dash > 0 && /^[0-9a-z]+$/.test(text.slice(dash + 1))) check(parseInt(text.slice(dash + 1), 36));
  if (/^\d+$/.test(text) && (Number(text) - JOB_BASE) % 7 === 0) check((Number(text) - JOB_BASE) / 7);
  for (const n of ds.singletons) check(n);
  return found;
}
