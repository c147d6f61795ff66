import { readFileSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";

export { expect };

/** The product's eight default columns, in order, then the derived Resource column. */
export const DEFAULT_HEADERS = [
  "Action timestamp",
  "Action type",
  "Action result",
  "Actor email",
  "Actor IP address",
  "Actor type",
  "Resource type",
  "Resource product",
  "Resource",
];

/**
 * Every test fails on a console error or an uncaught page error, in any page of its context; a test
 * that provokes one on purpose lists it in `allowConsole`.
 */
export const test = base.extend<{ allowConsole: RegExp[]; consoleErrors: string[] }>({
  allowConsole: [[], { option: true }],
  consoleErrors: [
    async ({ context, allowConsole }, use) => {
      const errors: string[] = [];
      context.on("console", (message) => {
        if (message.type() === "error" && !allowConsole.some((re) => re.test(message.text())))
          errors.push(message.text());
      });
      context.on("weberror", (error) => errors.push(error.error().message));
      await use(errors);
      expect(errors, "console errors").toEqual([]);
    },
    { auto: true },
  ],
});

/** Rendered body rows of the table. */
export const bodyRows = (page: Page) => page.locator("[role=row][data-row-id]");

/** Wait until the page is hydrated (interactive) and the first page of rows is on screen. */
export async function waitForRows(page: Page) {
  await expect(page.locator("[data-hydrated]")).toBeAttached();
  await expect(page.getByTestId("row-count")).toContainText(/[1-9][\d,]* rows? loaded/);
  await expect(bodyRows(page).first()).toBeVisible();
}

/** Ids of the first `n` rows in table order. */
export async function firstRowIds(page: Page, n: number): Promise<string[]> {
  return page.evaluate(
    (count) =>
      Array.from(document.querySelectorAll<HTMLElement>("[role=row][data-row-id]"))
        .sort((a, b) => Number(a.getAttribute("aria-rowindex")) - Number(b.getAttribute("aria-rowindex")))
        .slice(0, count)
        .map((el) => el.dataset.rowId!),
    n,
  );
}

/** The number of loaded rows, from the status bar ("100 of 617 rows loaded"). */
export async function loadedCount(page: Page): Promise<number> {
  const text = (await page.getByTestId("row-count").textContent()) ?? "";
  return Number(/^[\d,]+/.exec(text.trim())?.[0].replace(/,/g, "") ?? 0);
}

export interface ApiEntry {
  id: string;
  time: string;
  actionType: string;
  actionResult: string;
  resourceProduct: string | null;
  request: unknown;
}

/** Entries the HTTP API returns for a query string (the same URL model as the page). */
export async function apiEntries(request: APIRequestContext, query: string): Promise<ApiEntry[]> {
  const res = await request.get(`/api/logs?${query}`);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { data: ApiEntry[] }).data;
}

/** The page URL's value of a parameter. */
export const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

const AXE = readFileSync(path.join(process.cwd(), "node_modules/axe-core/axe.min.js"), "utf8");

/** Run axe-core in the page (evaluated, so the page's CSP stays on) and fail on serious or critical findings. */
export async function expectAccessible(page: Page) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResults> } })
      .axe;
    type AxeResults = {
      violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
    };
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
}

/** Save a screenshot under test-results/screens. */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png` });
}
