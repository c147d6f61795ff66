import { beforeEach } from "vitest";
import { resetBreakers } from "@/lib/server/breaker";
import { resetSignInThrottles } from "@/lib/server/sign-in-throttle";

// Each test starts with the upstream's circuit breaker closed: failures provoked by one test must not
// pause the calls of the next (the breaker has tests of its own).
beforeEach(() => resetBreakers());
// Likewise the sign-in throttle: failed sign-ins of one test must not lock out the next.
beforeEach(() => resetSignInThrottles());
