/** Placeholder while the first counts load: the chart's outline, without numbers. */
export function ActivitySkeleton() {
  return (
    <div
      aria-hidden="true"
      className="mt-1 grid animate-pulse gap-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)] xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]"
    >
      <div className="space-y-2">
        <div className="h-12 rounded-md bg-hover" />
        <div className="ml-10 h-28 rounded-md bg-hover" />
      </div>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 xl:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-32 rounded-md bg-hover" />
        ))}
      </div>
    </div>
  );
}
