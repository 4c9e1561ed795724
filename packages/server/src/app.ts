import { OpenAPIHono } from "@hono/zod-openapi";
import { PayloadTooLargeError } from "@oratio/core";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { AppDeps, AppEnv } from "./context.ts";
import { mountDashboard } from "./dashboard.ts";
import { mountDocs } from "./docs-page.ts";
import { createRouter } from "./lib/openapi.ts";
import { onError, onNotFound, validationHook } from "./lib/problem.ts";
import { requestLog } from "./lib/request-log.ts";
import { authenticate } from "./middleware/authenticate.ts";
import { ipRateLimit } from "./middleware/limits.ts";
import { agentTestsRouter } from "./routes/agent-tests/index.ts";
import { agentsRouter } from "./routes/agents/index.ts";
import { analyticsRouter } from "./routes/analytics/index.ts";
import { apiKeysRouter } from "./routes/api-keys/index.ts";
import { authRouter } from "./routes/auth/index.ts";
import { builderRouter } from "./routes/builder/index.ts";
import { eventsRouter } from "./routes/events/index.ts";
import { healthRouter } from "./routes/health/index.ts";
import { invitationsRouter } from "./routes/invitations/index.ts";
import { jobsRouter } from "./routes/jobs/index.ts";
import { knowledgeRouter } from "./routes/knowledge/index.ts";
import { meRouter } from "./routes/me/index.ts";
import { membersRouter } from "./routes/members/index.ts";
import { modelStoreRouter } from "./routes/model-store/index.ts";
import { notificationsRouter } from "./routes/notifications/index.ts";
import { mountOpenAiCompat } from "./routes/openai-compat/index.ts";
import { organizationsRouter } from "./routes/organizations/index.ts";
import { phoneNumbersRouter } from "./routes/phone-numbers/index.ts";
import { providersRouter } from "./routes/providers/index.ts";
import { sessionsRouter } from "./routes/sessions/index.ts";
import { sessionStreamRouter } from "./routes/sessions/stream-socket.ts";
import { telephonyRouter } from "./routes/telephony/index.ts";
import { toolsRouter } from "./routes/tools/index.ts";
import { voiceRouter } from "./routes/voice/index.ts";
import { createAppWebSockets } from "./voice/websockets.ts";

export const API_PREFIX = "/api/v1";

/** Builds the HTTP application around already-opened services. Starts no work of its own. */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(onError);
  app.notFound(onNotFound);

  app.use("*", requestId(), async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use("*", requestLog(), secureHeaders({ crossOriginResourcePolicy: "same-site" }));
  app.use(
    "*",
    cors({
      origin: (origin) => (deps.config.corsOrigins.includes(origin) ? origin : null),
      allowHeaders: [
        "Authorization",
        "Content-Type",
        "X-Organization-Id",
        "X-Oratio-Session-Id",
        "Last-Event-ID",
      ],
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      exposeHeaders: ["X-Request-Id", "Retry-After", "X-Oratio-Session-Id"],
      maxAge: 600,
    }),
  );
  app.use(
    `${API_PREFIX}/*`,
    async (c, next) => {
      // Uploads (multipart) get room for a full batch; each file is checked against its own limit.
      const multipart = c.req.header("content-type")?.startsWith("multipart/");
      const maxSize = multipart
        ? deps.config.upload.maxBytes * deps.config.upload.maxFiles + 1024 * 1024
        : deps.config.bodyLimitBytes;
      return bodyLimit({
        maxSize,
        onError: () => {
          throw new PayloadTooLargeError(`The request body exceeds ${maxSize} bytes.`);
        },
      })(c, next);
    },
    ipRateLimit(),
    authenticate(),
  );

  app.route("/", healthRouter);
  const upgradeWebSocket = createAppWebSockets(app);
  const api = createRouter()
    .route("/", authRouter)
    .route("/", meRouter)
    .route("/", organizationsRouter)
    .route("/", membersRouter)
    .route("/", invitationsRouter)
    .route("/", apiKeysRouter)
    .route("/", jobsRouter)
    .route("/", eventsRouter(upgradeWebSocket))
    .route("/", providersRouter)
    .route("/", builderRouter)
    .route("/", agentsRouter)
    .route("/", agentTestsRouter)
    .route("/", knowledgeRouter)
    .route("/", toolsRouter)
    .route("/", sessionsRouter)
    .route("/", voiceRouter(upgradeWebSocket))
    .route("/", sessionStreamRouter(upgradeWebSocket))
    .route("/", telephonyRouter(upgradeWebSocket))
    .route("/", phoneNumbersRouter)
    .route("/", notificationsRouter)
    .route("/", analyticsRouter)
    .route("/", modelStoreRouter);
  app.route(API_PREFIX, api);
  mountOpenAiCompat(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An access token from /auth/login, or an API key (`ora_…`).",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Oratio API",
      version: "1.0.0",
      description: "Build, run and watch conversational AI agents. Errors are RFC 9457 problem documents.",
    },
  });
  mountDocs(app);
  // Last: the dashboard answers every other GET with its single-page app.
  mountDashboard(app, deps.config.dashboardDir);
  return app;
}

export type App = ReturnType<typeof createApp>;
