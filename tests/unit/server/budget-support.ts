import type { Budget, Spender } from "@/lib/server/budget";

/** How many calls a budget grants one spender in a row, asking without waiting, until it refuses. */
export async function spendAll(budget: Pick<Budget, "spend">, spender: Spender): Promise<number> {
  let n = 0;
  while (
    await budget.spend(spender, { maxWaitMs: 0 }).then(
      () => true,
      () => false,
    )
  )
    n++;
  return n;
}

/** The most grants (instants in ms, ascending) that fall within any span of `spanMs`, wherever it starts. */
export function busiestSpan(granted: readonly number[], spanMs: number): number {
  let worst = 0;
  for (let i = 0, j = 0; i < granted.length; i++) {
    while (j < granted.length && granted[j] < granted[i] + spanMs) j++;
    worst = Math.max(worst, j - i);
  }
  return worst;
}
