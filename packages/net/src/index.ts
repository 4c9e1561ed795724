export { blockedRangeOf, isPublicAddress } from "./address-policy.ts";
export {
  type AllowList,
  allowListFromEnv,
  EMPTY_ALLOW_LIST,
  isAddressAllowed,
  isHostnameAllowed,
  parseAllowList,
} from "./allow-list.ts";
export {
  assertSafeUrl,
  type DestinationOptions,
  type ResolvedAddress,
  type Resolver,
  resolveAllowList,
  resolveSafeDestination,
  type SafeDestination,
  systemResolver,
} from "./destination.ts";
export {
  BlockedDestinationError,
  FetchTimeoutError,
  NetworkError,
  ResponseTooLargeError,
  TooManyRedirectsError,
} from "./errors.ts";
export { createGuardedDispatcher, createGuardedFetch, type GuardedFetch } from "./guarded-fetch.ts";
export {
  type GuardedWebSocketOptions,
  openGuardedWebSocket,
  type WebSocketLike,
  type WebSocketOpener,
} from "./guarded-websocket.ts";
export { type HttpMethod, type SafeFetchOptions, type SafeResponse, safeFetch } from "./safe-fetch.ts";
