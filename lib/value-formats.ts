/**
 * The formats of filter values and time bounds: the patterns of zod's string formats (email, IPv4, IPv6,
 * CIDR, ISO date and date-time), written out here because the URL model is in the browser's first
 * bundle, where zod (even its pattern module alone, which brings its utilities) would weigh more than
 * the whole URL model. Unit tests hold every check to zod's own decision.
 */

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)";
const IPV4 = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$`);
const CIDRV4 = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}/(?:3[0-2]|[12]\\d|\\d)$`);
const EMAIL =
  /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;
// Calendar dates only: 29 February in leap years, and no 31st in a 30-day month.
const DATE_SOURCE =
  "(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))";
const DATE = new RegExp(`^${DATE_SOURCE}$`);
// RFC 3339: seconds are required, fractions optional, and a `Z` or a numeric offset.
const DATE_TIME = new RegExp(
  `^${DATE_SOURCE}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)$`,
);

/** `YYYY-MM-DD`, a real calendar date. */
export const isIsoDate = (value: string): boolean => DATE.test(value);

/** An RFC 3339 date-time with `Z` or an offset. */
export const isIsoDateTime = (value: string): boolean => DATE_TIME.test(value);

export const isEmail = (value: string): boolean => EMAIL.test(value);

/**
 * Only the characters of an address, then the platform's URL parser, which knows every compressed and
 * embedded-IPv4 form (a regular expression alone misses some; the guard keeps out what the URL parser
 * would read as something else, such as `@` or a trailing newline).
 */
function isIPv6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value)) return false;
  try {
    new URL(`http://[${value}]`);
    return true;
  } catch {
    return false;
  }
}

/** An IPv4 or IPv6 address, or a CIDR range of either. */
export function isIpOrCidr(value: string): boolean {
  if (IPV4.test(value) || CIDRV4.test(value) || isIPv6(value)) return true;
  const [address, prefix, ...rest] = value.split("/");
  return rest.length === 0 && /^(?:12[0-8]|1[01]\d|[1-9]?\d)$/.test(prefix ?? "") && isIPv6(address);
}
