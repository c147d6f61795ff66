import { AlertIcon } from "@/components/ui/icons";

/** A full-page refusal or configuration problem, rendered by the server page instead of the explorer. */
export function PageProblem({ status, title, detail }: { status: number; title: string; detail: string }) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div role="alert" className="max-w-lg rounded-xl border border-line bg-surface p-6 shadow-pop">
        <div className="flex items-center gap-2 text-danger">
          <AlertIcon className="h-4 w-4" />
          <span className="font-mono text-xs">{status}</span>
        </div>
        <h1 className="mt-2 text-base font-semibold">{title}</h1>
        <p className="mt-1 text-muted">{detail}</p>
      </div>
    </main>
  );
}
