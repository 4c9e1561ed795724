export {
  BUSINESS_FIXTURE_DIR,
  FIXTURE_SITE_ORIGIN,
  type FixtureRoute,
  type FixtureServer,
  type FixtureServerOptions,
  startFixtureServer,
} from "./fixture-server.ts";
