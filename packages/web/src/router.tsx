import type { OratioClient } from "@oratio/sdk";
import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  type RouterHistory,
  redirect,
} from "@tanstack/react-router";
import { AppShell } from "./components/layout/app-shell.tsx";
import { NotFoundPage } from "./components/not-found.tsx";
import { ApiKeysPage } from "./features/api-keys/index.tsx";
import { SignInPage } from "./features/auth/sign-in.tsx";
import { SignUpPage } from "./features/auth/sign-up.tsx";
import { AcceptInvitationPage } from "./features/invitations/accept-invitation.tsx";
import { MembersPage } from "./features/members/index.tsx";
import { OrganizationSettingsPage } from "./features/organization/index.tsx";

export interface RouterContext {
  client: OratioClient;
  queryClient: QueryClient;
}

// Thin routes: each names a path, its search parameters and a feature's page.
const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const text = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);

const redirectIfSignedIn = ({ context }: { context: RouterContext }) => {
  if (context.client.auth.isSignedIn()) throw redirect({ to: "/members" });
};

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  validateSearch: (search: Record<string, unknown>): { invitation?: string } => ({
    invitation: text(search.invitation),
  }),
  beforeLoad: redirectIfSignedIn,
  component: function SignIn() {
    return <SignInPage invitation={signInRoute.useSearch().invitation} />;
  },
});

const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-up",
  validateSearch: (search: Record<string, unknown>): { invitation?: string; email?: string } => ({
    invitation: text(search.invitation),
    email: text(search.email),
  }),
  beforeLoad: redirectIfSignedIn,
  component: function SignUp() {
    const { invitation, email } = signUpRoute.useSearch();
    return <SignUpPage invitation={invitation} email={email} />;
  },
});

const acceptInvitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invitations/accept",
  validateSearch: (search: Record<string, unknown>): { token?: string } => ({ token: text(search.token) }),
  component: function AcceptInvitation() {
    return <AcceptInvitationPage token={acceptInvitationRoute.useSearch().token ?? ""} />;
  },
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: ({ context }) => {
    if (!context.client.auth.isSignedIn()) throw redirect({ to: "/sign-in" });
  },
  component: AppShell,
});

const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/members" });
  },
});

const membersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/members",
  component: MembersPage,
});
const apiKeysRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/api-keys",
  component: ApiKeysPage,
});
const organizationSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings/organization",
  component: OrganizationSettingsPage,
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  acceptInvitationRoute,
  appRoute.addChildren([indexRoute, membersRoute, apiKeysRoute, organizationSettingsRoute]),
]);

export function createAppRouter(context: RouterContext, history?: RouterHistory) {
  return createRouter({ routeTree, context, history, defaultPreload: false, scrollRestoration: true });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
