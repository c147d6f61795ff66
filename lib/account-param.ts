/**
 * The `account` parameter of the URL model on requests that do not carry the whole query (history,
 * product categories, health's budget, an export's status and manifest): each answers for one account.
 */
export function withAccount(path: string, account: string | null | undefined): string {
  if (!account) return path;
  return `${path}${path.includes("?") ? "&" : "?"}account=${encodeURIComponent(account)}`;
}
