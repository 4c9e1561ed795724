export { type ClientOptions, createClient, type OratioClient } from "./client.ts";
export { ApiError, type FieldIssue, isApiError, type Problem } from "./errors.ts";
export type { FetchLike, RefreshLock, RequestOptions } from "./http.ts";
export {
  type ApiKey,
  type CreateApiKeyInput,
  type CreatedApiKey,
  SCOPE_AREAS,
} from "./resources/api-keys.ts";
export type { LoginInput, LoginResult, SignupInput, SignupResult } from "./resources/auth.ts";
export type { CreatedInvitation, Invitation, InvitationPreview } from "./resources/invitations.ts";
export { type Me, type Organization, ROLES, type Role, type User } from "./resources/me.ts";
export type { Member } from "./resources/members.ts";
export {
  type KeyValueStorage,
  memoryTokenStore,
  storageTokenStore,
  type TokenPair,
  type TokenStore,
} from "./token-store.ts";
