/**
 * Fields the dashboard derives from an entry's bodies, because Cloudflare's own fields do not say them:
 * which resource was acted on (by name), and why a failed action failed.
 */
import type { AuditLog } from "./audit-log";

/** Keys that name a resource in Cloudflare's request and response bodies, in order of preference. */
const NAME_KEYS = ["name", "hostname", "email", "title", "domain"] as const;

function nameIn(body: unknown): string | null {
  const object = Array.isArray(body) ? body[0] : body;
  if (!object || typeof object !== "object") return null;
  for (const key of NAME_KEYS) {
    const value = (object as Record<string, unknown>)[key];
    if (typeof value === "string" && value.trim()) return value.trim();
  }
  return null;
}

/** The resource's name from the response, else the request (v1: new, else old value), else its ID. */
export function resourceNameOf(row: AuditLog): string | null {
  return (
    nameIn(row.response) ??
    nameIn(row.request) ??
    nameIn(row.newValue) ??
    nameIn(row.oldValue) ??
    row.resourceId
  );
}

/** The message of an error body: `errors[0].message` (Cloudflare's envelope) or `message`. */
export function errorMessageOf(body: unknown): string | null {
  if (!body || typeof body !== "object") return null;
  const { errors, message } = body as { errors?: unknown; message?: unknown };
  const first: unknown = Array.isArray(errors) ? errors[0] : null;
  const text =
    first && typeof first === "object" && "message" in first
      ? (first as { message: unknown }).message
      : message;
  return typeof text === "string" && text.trim() ? text.trim() : null;
}

/** For a failed action: its HTTP status and error message, e.g. `403 Authentication error`. */
export function failureReasonOf(row: AuditLog): string | null {
  if (row.actionResult !== "failure") return null;
  const reason = [row.statusCode, errorMessageOf(row.response)].filter((p) => p !== null).join(" ");
  return reason || null;
}

/** The row with its derived fields filled in. */
export function withDerivedFields(row: AuditLog): AuditLog {
  return { ...row, resourceName: resourceNameOf(row), failureReason: failureReasonOf(row) };
}
