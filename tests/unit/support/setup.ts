import { beforeEach } from "vitest";
import { resetBreakers } from "@/lib/server/breaker";
import { resetSharedState } from "@/lib/server/shared-state";
import { resetSignInThrottles } from "@/lib/server/sign-in-throttle";

// Unit tests read a fixed dataset: the sandbox clock stands still unless a test sets it going (the live
// clock has tests of its own, on fake timers).
process.env.SANDBOX_CLOCK ??= "frozen";

// Each test starts with the upstream's circuit breaker closed: failures provoked by one test must not
// pause the calls of the next (the breaker has tests of its own). Likewise every test starts with an
// empty cache and an unspent upstream budget. The gateway is loaded here only once a test file has
// registered its mocks, so it sees the mocked upstream those files ask for.
beforeEach(async () => {
  resetBreakers();
  resetSharedState();
  const { resetGateways } = await import("@/lib/server/gateway");
  resetGateways();
});
// Likewise the sign-in throttle: failed sign-ins of one test must not lock out the next.
beforeEach(() => resetSignInThrottles());
