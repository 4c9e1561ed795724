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
import { AgentPage, type AgentTab } from "./features/agents/agent-page.tsx";
import { CreateAgentPage } from "./features/agents/create-agent.tsx";
import { AgentsPage } from "./features/agents/index.tsx";
import { ApiKeysPage } from "./features/api-keys/index.tsx";
import { SignInPage } from "./features/auth/sign-in.tsx";
import { SignUpPage } from "./features/auth/sign-up.tsx";
import { AcceptInvitationPage } from "./features/invitations/accept-invitation.tsx";
import { KnowledgeBasesPage } from "./features/knowledge/index.tsx";
import { KnowledgeBasePage } from "./features/knowledge/knowledge-base-page.tsx";
import { MembersPage } from "./features/members/index.tsx";
import { NotificationsPage } from "./features/notifications/index.tsx";
import { OrganizationSettingsPage } from "./features/organization/index.tsx";
import { OverviewPage } from "./features/overview/index.tsx";
import { ProvidersPage } from "./features/providers/index.tsx";
import { type SessionFilters, SessionsPage } from "./features/sessions/index.tsx";
import { SessionPage } from "./features/sessions/session-page.tsx";

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
  if (context.client.auth.isSignedIn()) throw redirect({ to: "/" });
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
  component: OverviewPage,
});

const AGENT_TABS: readonly AgentTab[] = ["configuration", "versions", "playground"];
const agentsRoute = createRoute({ getParentRoute: () => appRoute, path: "/agents", component: AgentsPage });
const createAgentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/agents/new",
  component: CreateAgentPage,
});
const agentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/agents/$agentId",
  validateSearch: (search: Record<string, unknown>): { tab?: AgentTab } => ({
    tab: AGENT_TABS.find((t) => t === search.tab),
  }),
  component: function Agent() {
    const { agentId } = agentRoute.useParams();
    return <AgentPage key={agentId} agentId={agentId} tab={agentRoute.useSearch().tab ?? "configuration"} />;
  },
});

const knowledgeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/knowledge",
  component: KnowledgeBasesPage,
});
const knowledgeBaseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/knowledge/$knowledgeBaseId",
  component: function KnowledgeBase() {
    const { knowledgeBaseId } = knowledgeBaseRoute.useParams();
    return <KnowledgeBasePage key={knowledgeBaseId} knowledgeBaseId={knowledgeBaseId} />;
  },
});

const oneOf = <T extends string>(value: unknown, options: readonly T[]): T | undefined =>
  options.find((o) => o === value);
const sessionsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/sessions",
  validateSearch: (search: Record<string, unknown>): SessionFilters => {
    const page = Number(search.page);
    return {
      agentId: text(search.agentId),
      channel: oneOf(search.channel, ["chat", "voice", "phone", "api"] as const),
      status: oneOf(search.status, ["active", "needs_human", "human", "ended"] as const),
      from: text(search.from),
      to: text(search.to),
      q: text(search.q),
      page: Number.isInteger(page) && page > 1 ? page : undefined,
    };
  },
  component: function Sessions() {
    return <SessionsPage filters={sessionsRoute.useSearch()} />;
  },
});
const sessionRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/sessions/$sessionId",
  component: function Session() {
    const { sessionId } = sessionRoute.useParams();
    return <SessionPage key={sessionId} sessionId={sessionId} />;
  },
});
const notificationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/notifications",
  component: NotificationsPage,
});
const providersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings/providers",
  component: ProvidersPage,
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
  appRoute.addChildren([
    indexRoute,
    agentsRoute,
    createAgentRoute,
    agentRoute,
    knowledgeRoute,
    knowledgeBaseRoute,
    sessionsRoute,
    sessionRoute,
    notificationsRoute,
    providersRoute,
    membersRoute,
    apiKeysRoute,
    organizationSettingsRoute,
  ]),
]);

export function createAppRouter(context: RouterContext, history?: RouterHistory) {
  return createRouter({ routeTree, context, history, defaultPreload: false, scrollRestoration: true });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
