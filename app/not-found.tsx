export default function NotFound() {
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="max-w-md text-center">
        <p className="font-mono text-xs text-muted">404</p>
        <h1 className="mt-2 text-base font-semibold">Page not found</h1>
        <p className="mt-1 text-muted">The audit logs are on the main page.</p>
        {/* A plain link: next/link would add its client runtime to every page for this one page. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a
          href="/"
          className="mt-4 inline-flex h-8 items-center rounded-md bg-accent px-3 text-sm font-medium text-accent-fg hover:opacity-90"
        >
          Open Audit Log Explorer
        </a>
      </div>
    </main>
  );
}
