import type { OratioClient } from "@oratio/sdk";
import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  type RouterHistory,
  redirect,
} from "@tanstack/react-router";
import { AppShell } from "./components/layout/app-shell.tsx";
import { NotFoundPage } from "./components/not-found.tsx";
import { LoadingState } from "./components/states.tsx";
import type { AgentTab } from "./features/agents/agent-page.tsx";
import type { SessionFilters } from "./features/sessions/index.tsx";

// Each page is its own chunk, fetched when a route first needs it (the router waits for it
// before switching pages, so there is no flash of an empty page). The shell, the router and
// the API client stay in the first download.
const pages = {
  signIn: lazyRouteComponent(() => import("./features/auth/sign-in.tsx"), "SignInPage"),
  signUp: lazyRouteComponent(() => import("./features/auth/sign-up.tsx"), "SignUpPage"),
  acceptInvitation: lazyRouteComponent(
    () => import("./features/invitations/accept-invitation.tsx"),
    "AcceptInvitationPage",
  ),
  overview: lazyRouteComponent(() => import("./features/overview/index.tsx"), "OverviewPage"),
  agents: lazyRouteComponent(() => import("./features/agents/index.tsx"), "AgentsPage"),
  generateAgents: lazyRouteComponent(
    () => import("./features/agents/generate/generate-page.tsx"),
    "GenerateAgentsPage",
  ),
  createAgent: lazyRouteComponent(() => import("./features/agents/create-agent.tsx"), "CreateAgentPage"),
  agent: lazyRouteComponent(() => import("./features/agents/agent-page.tsx"), "AgentPage"),
  tools: lazyRouteComponent(() => import("./features/tools/index.tsx"), "ToolsPage"),
  knowledgeBases: lazyRouteComponent(() => import("./features/knowledge/index.tsx"), "KnowledgeBasesPage"),
  knowledgeBase: lazyRouteComponent(
    () => import("./features/knowledge/knowledge-base-page.tsx"),
    "KnowledgeBasePage",
  ),
  sessions: lazyRouteComponent(() => import("./features/sessions/index.tsx"), "SessionsPage"),
  session: lazyRouteComponent(() => import("./features/sessions/session-page.tsx"), "SessionPage"),
  notifications: lazyRouteComponent(() => import("./features/notifications/index.tsx"), "NotificationsPage"),
  providers: lazyRouteComponent(() => import("./features/providers/index.tsx"), "ProvidersPage"),
  phoneNumbers: lazyRouteComponent(() => import("./features/phone-numbers/index.tsx"), "PhoneNumbersPage"),
  members: lazyRouteComponent(() => import("./features/members/index.tsx"), "MembersPage"),
  apiKeys: lazyRouteComponent(() => import("./features/api-keys/index.tsx"), "ApiKeysPage"),
  organizationSettings: lazyRouteComponent(
    () => import("./features/organization/index.tsx"),
    "OrganizationSettingsPage",
  ),
};

/** For routes whose component wraps a page (to pass it params): load the page's chunk first. */
const preload = (page: { preload?: () => Promise<void> | undefined }) => async () => {
  await page.preload?.();
};

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
  loader: preload(pages.signIn),
  component: function SignIn() {
    return <pages.signIn invitation={signInRoute.useSearch().invitation} />;
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
  loader: preload(pages.signUp),
  component: function SignUp() {
    const { invitation, email } = signUpRoute.useSearch();
    return <pages.signUp invitation={invitation} email={email} />;
  },
});

const acceptInvitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invitations/accept",
  validateSearch: (search: Record<string, unknown>): { token?: string } => ({ token: text(search.token) }),
  loader: preload(pages.acceptInvitation),
  component: function AcceptInvitation() {
    return <pages.acceptInvitation token={acceptInvitationRoute.useSearch().token ?? ""} />;
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
  component: pages.overview,
});

const AGENT_TABS: readonly AgentTab[] = ["configuration", "versions", "playground"];
const agentsRoute = createRoute({ getParentRoute: () => appRoute, path: "/agents", component: pages.agents });
const generateAgentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/agents/new",
  validateSearch: (search: Record<string, unknown>): { report?: string } => ({ report: text(search.report) }),
  loader: preload(pages.generateAgents),
  component: function GenerateAgents() {
    return <pages.generateAgents reportId={generateAgentsRoute.useSearch().report} />;
  },
});
const createAgentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/agents/new/scratch",
  component: pages.createAgent,
});
const agentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/agents/$agentId",
  validateSearch: (search: Record<string, unknown>): { tab?: AgentTab } => ({
    tab: AGENT_TABS.find((t) => t === search.tab),
  }),
  loader: preload(pages.agent),
  component: function Agent() {
    const { agentId } = agentRoute.useParams();
    return (
      <pages.agent key={agentId} agentId={agentId} tab={agentRoute.useSearch().tab ?? "configuration"} />
    );
  },
});

const knowledgeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/knowledge",
  component: pages.knowledgeBases,
});
const toolsRoute = createRoute({ getParentRoute: () => appRoute, path: "/tools", component: pages.tools });
const knowledgeBaseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/knowledge/$knowledgeBaseId",
  loader: preload(pages.knowledgeBase),
  component: function KnowledgeBase() {
    const { knowledgeBaseId } = knowledgeBaseRoute.useParams();
    return <pages.knowledgeBase key={knowledgeBaseId} knowledgeBaseId={knowledgeBaseId} />;
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
  loader: preload(pages.sessions),
  component: function Sessions() {
    return <pages.sessions filters={sessionsRoute.useSearch()} />;
  },
});
const sessionRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/sessions/$sessionId",
  loader: preload(pages.session),
  component: function Session() {
    const { sessionId } = sessionRoute.useParams();
    return <pages.session key={sessionId} sessionId={sessionId} />;
  },
});
const notificationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/notifications",
  component: pages.notifications,
});
const providersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings/providers",
  component: pages.providers,
});
const phoneNumbersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings/phone-numbers",
  component: pages.phoneNumbers,
});

const membersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/members",
  component: pages.members,
});
const apiKeysRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/api-keys",
  component: pages.apiKeys,
});
const organizationSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings/organization",
  component: pages.organizationSettings,
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  acceptInvitationRoute,
  appRoute.addChildren([
    indexRoute,
    agentsRoute,
    generateAgentsRoute,
    createAgentRoute,
    agentRoute,
    toolsRoute,
    knowledgeRoute,
    knowledgeBaseRoute,
    sessionsRoute,
    sessionRoute,
    notificationsRoute,
    providersRoute,
    phoneNumbersRoute,
    membersRoute,
    apiKeysRoute,
    organizationSettingsRoute,
  ]),
]);

export function createAppRouter(context: RouterContext, history?: RouterHistory) {
  return createRouter({
    routeTree,
    context,
    history,
    defaultPreload: false,
    scrollRestoration: true,
    // Shown only when a page's chunk takes more than a moment to arrive.
    defaultPendingComponent: () => <LoadingState label="Loading page…" />,
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
