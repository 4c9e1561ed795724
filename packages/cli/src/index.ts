export { ApiClient, type ApiClientOptions, ApiError } from "./api-client.ts";
export { type Io, testCommand } from "./commands/test.ts";
export { main, USAGE } from "./main.ts";
export { formatTable } from "./table.ts";
