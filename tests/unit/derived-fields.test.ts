import { describe, expect, it } from "vitest";
import type { AuditLog } from "@/lib/audit-log";
import { failureReasonOf, resourceNameOf } from "@/lib/derived-fields";

const row = (over: Partial<AuditLog>): AuditLog =>
  ({
    actionResult: "success",
    statusCode: 200,
    resourceId: "r-1",
    request: null,
    response: null,
    ...over,
  }) as AuditLog;

describe("derived fields", () => {
  it("names the resource from the response, the request, then its ID", () => {
    expect(resourceNameOf(row({ response: { id: "r-1", name: "Payroll app" } }))).toBe("Payroll app");
    expect(resourceNameOf(row({ response: [{ hostname: "intranet.acme.com" }] }))).toBe("intranet.acme.com");
    expect(resourceNameOf(row({ request: { email: "new.hire@acme.com" }, response: { id: "x" } }))).toBe(
      "new.hire@acme.com",
    );
    expect(resourceNameOf(row({ response: { id: "r-1" } }))).toBe("r-1");
  });

  it("gives a failure's status and error message, and nothing for a success", () => {
    const body = { success: false, errors: [{ code: 10000, message: "Authentication error" }] };
    expect(failureReasonOf(row({ actionResult: "failure", statusCode: 403, response: body }))).toBe(
      "403 Authentication error",
    );
    expect(failureReasonOf(row({ actionResult: "failure", statusCode: 500, response: null }))).toBe("500");
    expect(failureReasonOf(row({ response: body }))).toBeNull();
  });
});
