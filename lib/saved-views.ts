/**
 * Saved views: a name and the page's URL search string (filters, range or pinned window, direction,
 * columns, time zone; never the open entry). Kept in the browser per account, and written to and read
 * from a JSON file so a team can share a set. Pure: the storage and the UI live in components/.
 */
import * as z from "zod/mini";
import type { ApiVersion } from "./audit-log";
import { searchParams, validateSearch } from "./search-params";

export const SAVED_VIEWS_KIND = "audit-log-explorer.saved-views";
export const MAX_VIEWS = 200;
export const MAX_NAME = 80;

export interface SavedView {
  name: string;
  /** The page's query string without `?` and without `log`. */
  search: string;
}

export interface SavedViewsFile {
  kind: typeof SAVED_VIEWS_KIND;
  version: 1;
  views: SavedView[];
}

/** The parameters a saved view may hold: the URL model without the open entry. */
const VIEW_KEYS = new Set(Object.keys(searchParams).filter((key) => key !== "log"));

const viewSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1, "A view needs a name."), z.maxLength(MAX_NAME)),
  search: z.string().check(
    z.maxLength(8_000),
    z.refine(
      (search) => [...new URLSearchParams(search).keys()].every((key) => VIEW_KEYS.has(key)),
      "Holds a parameter the dashboard does not know.",
    ),
  ),
});

const fileSchema = z.object({
  kind: z.literal(SAVED_VIEWS_KIND, `Not a saved-views file (expected "kind": "${SAVED_VIEWS_KIND}").`),
  version: z.literal(1, "Written by a newer version of the dashboard (expected version 1)."),
  views: z.array(viewSchema).check(z.maxLength(MAX_VIEWS)),
});

/** The localStorage key of one account's views. */
export const savedViewsKey = (account: string) => `audit-log-explorer:saved-views:${account}`;

/**
 * A view's search string from the page's: `log` (the open entry) and `account` dropped (views are kept
 * per account, and open in the account being read), `?` removed.
 */
export function viewSearch(locationSearch: string): string {
  const params = new URLSearchParams(locationSearch);
  params.delete("log");
  params.delete("account");
  return params.toString();
}

/** The page URL that opens a view in an account (null: the viewer's first, left out of the URL). */
export function viewHref(search: string, account: string | null): string {
  const params = new URLSearchParams(search);
  params.delete("account");
  if (account) params.set("account", account);
  return `/?${params}`;
}

export function toFile(views: readonly SavedView[]): SavedViewsFile {
  return { kind: SAVED_VIEWS_KIND, version: 1, views: views.map(({ name, search }) => ({ name, search })) };
}

/** Read a saved-views file (or the stored set): the views, or one sentence saying what is wrong. */
export function parseViewsFile(
  text: string,
): { ok: true; views: SavedView[] } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: "This file is not JSON." };
  }
  const parsed = fileSchema.safeParse(json);
  if (parsed.success) return { ok: true, views: parsed.data.views };
  const issue = parsed.error.issues[0];
  const where = issue.path.length > 0 ? ` (at ${issue.path.join(".")})` : "";
  return { ok: false, error: `${issue.message}${where}` };
}

/** Add or replace views by name; the order of `base` is kept and new names go last. */
export function mergeViews(base: readonly SavedView[], added: readonly SavedView[]): SavedView[] {
  const out = [...base];
  for (const view of added) {
    const at = out.findIndex((v) => v.name === view.name);
    if (at >= 0) out[at] = view;
    else out.push(view);
  }
  return out.slice(0, MAX_VIEWS);
}

/**
 * The views offered on a first visit, built from the URL model's parameters. Those the active API
 * cannot serve (v1 has fewer filters) are left out.
 */
export function startingViews(api: ApiVersion): SavedView[] {
  const views: SavedView[] = [
    { name: "Failed actions, last 24 h", search: "range=24h&action_result=failure" },
    { name: "Changes by API tokens", search: "range=7d&actor_context=api_token&action_type.not=view" },
    {
      name: "Access policy changes",
      search: "range=30d&resource_type=Access+policy&action_type.not=view",
    },
    { name: "Member and role changes", search: "range=30d&resource_product=Members&action_type.not=view" },
    { name: "Deletes in the last 7 days", search: "range=7d&action_type=delete" },
  ];
  return views.filter((view) => validateSearch(new URLSearchParams(view.search), { api }).ok);
}
