export {
  HttpToolSchema,
  McpToolSchema,
  type ToolDefinition,
  ToolDefinitionSchema,
} from "./definition.ts";
export { type DryRunInput, type DryRunResult, dryRunTool } from "./dry-run.ts";
export {
  buildOrgTools,
  MCP_NAME_SEPARATOR,
  MODEL_TEXT_LIMIT,
  type OrgTool,
  type ToolExecutorDeps,
  toolRateLimits,
} from "./org-tools.ts";
