import { useQueryClient } from "@tanstack/react-query";
import { useOrganization } from "./session.tsx";

/** Query keys scoped to the current organization, so switching organizations never shows stale data. */
export function useOrgKey() {
  const { key } = useOrganization();
  return (...parts: unknown[]) => [...key, ...parts] as const;
}

/** Invalidates the current organization's queries that start with `parts`. */
export function useInvalidate() {
  const queryClient = useQueryClient();
  const orgKey = useOrgKey();
  return (...parts: unknown[]) => queryClient.invalidateQueries({ queryKey: orgKey(...parts) });
}
