import { createClient, type OratioClient, storageTokenStore } from "@oratio/sdk";
import { createContext, type ReactNode, useContext } from "react";

const ORGANIZATION_KEY = "oratio.organizationId";

function acrossTabs<T>(task: () => Promise<T>): Promise<T> {
  return navigator.locks.request("oratio.token-refresh", task) as Promise<T>;
}

/** The dashboard's client: same origin as the page, tokens kept across reloads. */
export function createBrowserClient(): OratioClient {
  return createClient({
    baseUrl: window.location.origin,
    tokenStore: storageTokenStore(window.localStorage),
    organizationId: window.localStorage.getItem(ORGANIZATION_KEY),
    // Tabs share the tokens in localStorage; one refresh at a time keeps rotation from
    // mistaking two tabs for a stolen token.
    refreshLock: navigator.locks ? acrossTabs : undefined,
  });
}

/** Remembers the chosen organization for the next visit (null: the user's first). */
export function rememberOrganization(organizationId: string | null): void {
  if (organizationId) window.localStorage.setItem(ORGANIZATION_KEY, organizationId);
  else window.localStorage.removeItem(ORGANIZATION_KEY);
}

const ApiContext = createContext<OratioClient | null>(null);

export function ApiProvider({ client, children }: { client: OratioClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): OratioClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error("useApi must be used inside <ApiProvider>.");
  return client;
}
