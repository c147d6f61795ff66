import "server-only";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { upstreamIdentity, type Config } from "./config";
import { InvalidUpstreamBody } from "./normalize";
import { invalidQuery, ProblemError } from "./problem";
import { getSharedState, type SharedState } from "./shared-state";
import type { Send } from "./upstream";

/** One `product_category` value and the `resource_product` values it stands for. */
export interface ProductCategory {
  value: string;
  label: string;
  products: { value: string; label: string }[];
}

/** Categories change with Cloudflare's product line, not by the minute: hours spare the request budget. */
export const PRODUCT_CATEGORIES_TTL_MS = 6 * 3_600_000;

const item = z.looseObject({
  value: z.string(),
  label: z.string().catch(""),
  products: z
    .array(z.looseObject({ value: z.string(), label: z.string().catch("") }))
    .catch([])
    .default([]),
});
const body = z.looseObject({ success: z.literal(true), result: z.array(z.unknown()) });

/** The categories of a `product_categories` answer; an entry without a value is skipped, not fatal. */
export function parseProductCategories(json: unknown): ProductCategory[] {
  const parsed = body.safeParse(json);
  if (!parsed.success) throw new InvalidUpstreamBody("not a product categories envelope");
  return parsed.data.result.flatMap((entry) => {
    const one = item.safeParse(entry);
    if (!one.success) return [];
    const { value, label, products } = one.data;
    return [
      {
        value,
        label: label || value,
        products: products.map((p) => ({ value: p.value, label: p.label || p.value })),
      },
    ];
  });
}

const cache = new LRUCache<string, Promise<ProductCategory[]>>({ max: 64, ttl: PRODUCT_CATEGORIES_TTL_MS });

/** Where each kept answer went, so clearing forgets it in the shared state too. */
const kept = new Map<string, SharedState>();

/**
 * The account's product categories (v2 `logs/audit/product_categories`), fetched once per upstream and
 * kept for hours in the shared state, so every instance behind the load balancer asks once; concurrent
 * callers in a process share the call, and a failure is not kept.
 */
export function getProductCategories(
  config: Config,
  send: Send,
  options: { signal?: AbortSignal; deadlineMs?: number } = {},
): Promise<ProductCategory[]> {
  const key = JSON.stringify(upstreamIdentity(config));
  let promise = cache.get(key);
  if (!promise) {
    const state = getSharedState(config);
    const stateKey = `product-categories:${key}`;
    promise = (async () => {
      const stored = await state.get(stateKey);
      if (stored !== null) return JSON.parse(stored) as ProductCategory[];
      const fresh = await send({
        path: `/accounts/${encodeURIComponent(config.accountId)}/logs/audit/product_categories`,
        query: {},
        parse: parseProductCategories,
        deadlineMs: options.deadlineMs ?? config.upstreamTimeoutMs,
      });
      await state.set(stateKey, JSON.stringify(fresh), PRODUCT_CATEGORIES_TTL_MS);
      kept.set(stateKey, state);
      return fresh;
    })();
    const mine = promise;
    cache.set(key, mine);
    mine.catch(() => {
      if (cache.get(key) === mine) cache.delete(key);
    });
  }
  return options.signal ? Promise.race([promise, aborted(options.signal)]) : promise;
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** Product categories are a v2 feature; v1 mode answers this instead of calling upstream. */
export function categoriesNeedV2(): ProblemError {
  return new ProblemError({
    status: 400,
    slug: "invalid-query",
    title: "Product categories need the v2 API",
    detail: "Product categories are only available with the v2 audit logs API (AUDIT_LOGS_API=v2).",
  });
}

/** Forget the cached categories (tests, a changed configuration). */
export function clearProductCategories() {
  cache.clear();
  for (const [key, state] of kept) void state.delete(key);
  kept.clear();
}

/**
 * Refuse unknown `product_category` values before the list call: Cloudflare answers them with a 400
 * that would otherwise reach the viewer as an upstream failure. When the categories cannot be read,
 * the values go upstream unchecked and Cloudflare decides.
 */
export async function checkProductCategories(
  config: Config,
  values: readonly string[],
  send: Send,
  options: { signal?: AbortSignal; deadlineMs?: number },
): Promise<void> {
  let categories: ProductCategory[];
  try {
    categories = await getProductCategories(config, send, options);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    console.warn("product categories unavailable; product_category sent unchecked", String(error));
    return;
  }
  const known = new Set(categories.map((c) => c.value.toLowerCase()));
  const unknown = values.filter((v) => !known.has(v.toLowerCase()));
  if (unknown.length === 0) return;
  throw new ProblemError(
    invalidQuery(
      unknown.map((v) => ({
        parameter: "product_category",
        message: `${JSON.stringify(v.slice(0, 80))}: Unknown product category. Known: ${[...known].join(", ")}.`,
      })),
    ),
  );
}
