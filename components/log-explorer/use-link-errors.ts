"use client";

import { useMemo, useState } from "react";
import type { ApiVersion } from "@/lib/audit-log";
import { serializeSearch, validateSearch, type LogSearch, type ParamError } from "@/lib/search-params";

/**
 * What is wrong with the page's URL, if anything. The server checked the link as it arrived (it also
 * sees values the client parser silently drops, like a bad `direction`); after the first change the
 * client's own check of the current URL speaks, even if Back returns to the original link.
 */
export function useLinkErrors(search: LogSearch, api: ApiVersion, serverErrors: ParamError[]) {
  const serialized = serializeSearch(search);
  const [initialUrl] = useState(serialized);
  const [serverApplies, setServerApplies] = useState(true);
  if (serverApplies && serialized !== initialUrl) setServerApplies(false);

  const errors = useMemo(() => {
    if (serverApplies && serverErrors.length > 0) return serverErrors;
    const v = validateSearch(new URLSearchParams(serialized), { api });
    return v.ok ? [] : v.errors;
  }, [serialized, api, serverApplies, serverErrors]);

  return { errors, dismissServerErrors: () => setServerApplies(false) };
}
