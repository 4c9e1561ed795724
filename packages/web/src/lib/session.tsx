import type { Organization, Role } from "@oratio/sdk";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useMemo,
  useState,
  useSyncExternalStore,
} from "react";
import { rememberOrganization, useApi } from "./api.tsx";

interface OrganizationSelection {
  /** The organization chosen in the switcher; null means the server's default (the first). */
  selectedId: string | null;
  select(organizationId: string | null): void;
}

const SelectionContext = createContext<OrganizationSelection | null>(null);

export function OrganizationSelectionProvider({ children }: { children: ReactNode }) {
  const client = useApi();
  const [selectedId, setSelectedId] = useState(client.organizationId);
  const select = useCallback(
    (organizationId: string | null) => {
      client.setOrganization(organizationId);
      rememberOrganization(organizationId);
      setSelectedId(organizationId);
    },
    [client],
  );
  const value = useMemo(() => ({ selectedId, select }), [selectedId, select]);
  return <SelectionContext.Provider value={value}>{children}</SelectionContext.Provider>;
}

export function useOrganizationSelection(): OrganizationSelection {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error("useOrganizationSelection must be used inside its provider.");
  return selection;
}

/** True while the client holds tokens; turns false when a refresh fails or on sign-out. */
export function useSignedIn(): boolean {
  const client = useApi();
  return useSyncExternalStore(client.tokenStore.subscribe, () => client.tokenStore.get() !== null);
}

export function useMe() {
  const client = useApi();
  const { selectedId } = useOrganizationSelection();
  const signedIn = useSignedIn();
  return useQuery({
    queryKey: ["me", selectedId],
    queryFn: ({ signal }) => {
      // Signing out clears the tokens while the shell is still on screen; a component that
      // subscribes in that moment must not ask the server (it would only answer 401).
      if (!client.auth.isSignedIn()) throw new Error("Signed out.");
      return client.me.get({ signal });
    },
    enabled: signedIn,
  });
}

const MANAGER_ROLES: readonly Role[] = ["owner", "admin"];

export interface CurrentOrganization {
  organization: Organization;
  role: Role;
  /** Owners and admins manage members, invitations, keys and settings. */
  canManage: boolean;
  /** Query-key prefix for data that belongs to this organization. */
  key: readonly [string, string];
}

/** The organization the dashboard acts in, once /me has loaded. */
export function useCurrentOrganization(): CurrentOrganization | undefined {
  const me = useMe();
  return useMemo(() => {
    const organization = me.data?.organizations.find((o) => o.id === me.data?.currentOrganizationId);
    if (!organization) return undefined;
    return {
      organization,
      role: organization.role,
      canManage: MANAGER_ROLES.includes(organization.role),
      key: ["org", organization.id] as const,
    };
  }, [me.data]);
}

/** Signs out on the server and forgets every cached answer. */
export function useSignOut() {
  const client = useApi();
  const queryClient = useQueryClient();
  const { select } = useOrganizationSelection();
  return useCallback(async () => {
    try {
      await client.auth.logout();
    } finally {
      select(null);
      queryClient.clear();
    }
  }, [client, queryClient, select]);
}

/** The current organization inside the app shell, which renders pages only once it is known. */
export function useOrganization(): CurrentOrganization {
  const current = useCurrentOrganization();
  if (!current) throw new Error("useOrganization is only available inside the app shell.");
  return current;
}
