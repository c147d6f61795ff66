/**
 * What each Cloudflare audit-log API can do. The UI offers, the validation accepts and the query text
 * reads only what the active API supports; they all ask here instead of comparing version strings.
 */
import { FILTERS, type ApiVersion, type FilterDef, type FilterKind } from "./audit-log";

export interface Capabilities {
  api: ApiVersion;
  /** How the API is named in messages. */
  name: string;
  /** The filters the API has a query parameter for. */
  filters: readonly FilterDef[];
  /** Whether a filter can be sent to this API at all. */
  supports: (filter: FilterDef) => boolean;
  /** Whether `<param>.not` can be sent for this filter. */
  canExclude: (filter: FilterDef) => boolean;
  /** How the API checks this filter's values (v1 takes free-text action types). */
  kind: (filter: FilterDef) => FilterKind;
  /** More than one value per filter (OR within a field); v1 takes one. */
  multipleValues: boolean;
  /** Exclusions (`<param>.not`) of any kind. */
  exclusion: boolean;
  /** `actor.context` is known, so people can be told from automation. */
  automation: boolean;
  /** `hide_user_logs`: leave out user-level entries. */
  hideUserLogs: boolean;
  /** A resource's change history and product categories (`logs/audit/…` endpoints). */
  history: boolean;
  productCategories: boolean;
  /** Fields this API never fills: said so in the detail view, rather than listed as merely unset. */
  missingFields: readonly string[];
}

const V2_FILTERS: readonly FilterDef[] = FILTERS;
const V1_FILTERS: readonly FilterDef[] = FILTERS.filter((f) => "v1" in f);

const V2: Capabilities = {
  api: "v2",
  name: "v2 audit logs API",
  filters: V2_FILTERS,
  supports: () => true,
  canExclude: (filter) => filter.negatable,
  kind: (filter) => filter.kind,
  multipleValues: true,
  exclusion: true,
  automation: true,
  hideUserLogs: false,
  history: true,
  productCategories: true,
  missingFields: [],
};

const V1: Capabilities = {
  api: "v1",
  name: "v1 audit logs API",
  filters: V1_FILTERS,
  supports: (filter) => !!filter.v1,
  canExclude: () => false,
  kind: (filter) => filter.v1Kind ?? filter.kind,
  multipleValues: false,
  exclusion: false,
  automation: false,
  hideUserLogs: true,
  history: false,
  productCategories: false,
  missingFields: ["resourceProduct"],
};

/** What the given audit-log API supports. */
export function capabilities(api: ApiVersion): Capabilities {
  return api === "v1" ? V1 : V2;
}
