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
export {
  type AgentProfile,
  type BusinessProfile,
  type Fact,
  type FactCitation,
  type GeneratedAgentSummary,
  type GenerateInput,
  type GenerateResult,
  type GenerationProgress,
  type GenerationReport,
  type GenerationStage,
  type GenerationStageStatus,
  type HoursFact,
  PROFILE_CATEGORIES,
  type Procedure,
  type ProfileCategory,
  type ReviewCycle,
  type ReviewFinding,
} from "./resources/builder.ts";
export {
  EventSocketClosedError,
  readEventSocket,
  SLOW_CONSUMER_CLOSE_CODE,
} from "./resources/event-socket.ts";
export type { EventStreamOptions, OrgEvent } from "./resources/events.ts";
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
export type { CreatePhoneNumberInput, PhoneNumber } from "./resources/phone-numbers.ts";
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
export type { AudioContextLike, WebSocketConstructor, WebSocketLike } from "./voice/browser-types.ts";
export { playAgentAudio, type VoiceCallEvent } from "./voice/call-audio.ts";
export { type AgentState, parseVoiceEvent, type VoiceEvent, type VoiceTurnMetrics } from "./voice/events.ts";
export {
  type AudioSink,
  PlaybackQueue,
  type PlaybackQueueOptions,
  pcm16ToFloat32,
  type ScheduledChunk,
} from "./voice/playback-queue.ts";
export { microphoneError, VoiceCall, type VoiceCallOptions } from "./voice/voice-call.ts";
export {
  VoiceCallError,
  VoiceConnection,
  type VoiceConnectionEvent,
  type VoiceConnectionOptions,
} from "./voice/voice-connection.ts";
export type { SessionChoice, StartCallOptions } from "./voice/voice-resource.ts";
export { webAudioSink } from "./voice/web-audio-sink.ts";
