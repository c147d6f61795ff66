import "server-only";

/** A disagreement between what the upstream says it holds and what it sent, shown to the viewer. */
export interface DataQuality {
  message: string;
  /** The upstream's `result_info.total_count`. */
  totalCount: number;
  /** Entries this page would hold if `total_count` were right. */
  expected: number;
  received: number;
}

/**
 * Where a v1 walk goes after page `pageNo`. v1's `result_info` is undocumented and its pages may come
 * back short before the end, so only an empty page ends the walk (as the official SDK does), and
 * `total_count` is checked, never trusted: a page that disagrees with it is reported.
 */
export function v1PageOutcome(
  pageNo: number,
  perPage: number,
  received: number,
  totalCount: number | null,
): { more: boolean; dataQuality: DataQuality | null } {
  const more = received > 0;
  if (totalCount === null) return { more, dataQuality: null };
  const expected = Math.max(0, Math.min(perPage, totalCount - (pageNo - 1) * perPage));
  if (expected === received) return { more, dataQuality: null };
  return {
    more,
    dataQuality: {
      message:
        `Cloudflare reported ${totalCount} matching entries, but page ${pageNo} of ${perPage} held ` +
        `${received} instead of ${expected}. Every entry it sent is shown; the count may be off.`,
      totalCount,
      expected,
      received,
    },
  };
}
