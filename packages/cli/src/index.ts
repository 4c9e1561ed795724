export { ApiClient, type ApiClientOptions, ApiError } from "./api-client.ts";
export { INTERRUPTED_EXIT_CODE, MODELS_USAGE, modelsCommand, modelsDirFrom } from "./commands/models.ts";
export { testCommand } from "./commands/test.ts";
export type { Io } from "./io.ts";
export { main, USAGE } from "./main.ts";
export { formatBytes, ProgressBar, type ProgressTarget } from "./progress.ts";
export { formatTable } from "./table.ts";
