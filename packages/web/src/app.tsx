import type { OratioClient } from "@oratio/sdk";
import { ApiError } from "@oratio/sdk";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type RouterHistory, RouterProvider } from "@tanstack/react-router";
import { useState } from "react";
import { ApiProvider } from "./lib/api.tsx";
import { OrganizationSelectionProvider } from "./lib/session.tsx";
import { ThemeProvider } from "./lib/theme.tsx";
import { createAppRouter } from "./router.tsx";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not get better by asking again; network blips and 5xx might.
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
        refetchOnWindowFocus: false,
        staleTime: 10_000,
      },
    },
  });
}

/** The whole dashboard around one API client; tests pass a client and a memory history. */
export function App({ client, history }: { client: OratioClient; history?: RouterHistory }) {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createAppRouter({ client, queryClient }, history));
  return (
    <ThemeProvider>
      <ApiProvider client={client}>
        <QueryClientProvider client={queryClient}>
          <OrganizationSelectionProvider>
            <RouterProvider router={router} />
          </OrganizationSelectionProvider>
        </QueryClientProvider>
      </ApiProvider>
    </ThemeProvider>
  );
}
