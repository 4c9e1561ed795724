export { type ClientOptions, createClient, type OratioClient } from "./client.ts";
export { ApiError, type FieldIssue, isApiError, type Problem } from "./errors.ts";
export type { FetchLike, RefreshLock, RequestOptions } from "./http.ts";
export type {
  Agent,
  AgentBundle,
  AgentConfig,
  AgentDiff,
  AgentHandoff,
  AgentLimits,
  AgentVersion,
  HandoffContextPolicy,
  HumanHandoffRules,
  ModelChoice,
  SaveOptions,
} from "./resources/agents.ts";
export type { AnalyticsOverview } from "./resources/analytics.ts";
export {
  type ApiKey,
  type CreateApiKeyInput,
  type CreatedApiKey,
  SCOPE_AREAS,
} from "./resources/api-keys.ts";
export type { LoginInput, LoginResult, SignupInput, SignupResult } from "./resources/auth.ts";
export type { OrgEvent } from "./resources/events.ts";
export type { CreatedInvitation, Invitation, InvitationPreview } from "./resources/invitations.ts";
export { isTerminal, type Job, type JobStatus } from "./resources/jobs.ts";
export type {
  AddSourceInput,
  KnowledgeBase,
  KnowledgeCitation,
  KnowledgeDocument,
  KnowledgeSource,
  SearchResult,
  UploadFile,
  UploadResult,
} from "./resources/knowledge.ts";
export { type Me, type Organization, ROLES, type Role, type User } from "./resources/me.ts";
export type { Member } from "./resources/members.ts";
export type { Notification } from "./resources/notifications.ts";
export {
  type CreateProviderInput,
  PROVIDER_TYPES,
  type Provider,
  type ProviderType,
} from "./resources/providers.ts";
export type {
  Channel,
  CitedSource,
  Session,
  SessionDetail,
  SessionQuery,
  SessionStatus,
  TranscriptEntry,
  TurnReply,
  TurnStreamEvent,
  TurnUsage,
} from "./resources/sessions.ts";
export { parseEventStream, type StreamEvent } from "./resources/sse.ts";
export type {
  CreateToolInput,
  HttpToolInput,
  McpToolInput,
  Tool,
  ToolTestResult,
} from "./resources/tools.ts";
export {
  type KeyValueStorage,
  memoryTokenStore,
  storageTokenStore,
  type TokenPair,
  type TokenStore,
} from "./token-store.ts";
