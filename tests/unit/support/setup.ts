import { beforeEach } from "vitest";
import { resetBreakers } from "@/lib/server/breaker";

// Each test starts with the upstream's circuit breaker closed: failures provoked by one test must not
// pause the calls of the next (the breaker has tests of its own).
beforeEach(() => resetBreakers());
