/** One invalid field of a request, as named by the server (`body.email`, `path.id`…). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** RFC 9457 problem document, as every Oratio error response carries. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

const PROBLEM_TYPE_PREFIX = "urn:oratio:problem:";

/** An error response from the Oratio API, carrying its problem document. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.status = problem.status;
    this.problem = problem;
  }

  /** The short problem code, e.g. `validation-error`, `conflict`, `rate-limited`. */
  get code(): string {
    const { type } = this.problem;
    return type.startsWith(PROBLEM_TYPE_PREFIX) ? type.slice(PROBLEM_TYPE_PREFIX.length) : type;
  }

  get fieldErrors(): FieldIssue[] {
    return this.problem.errors ?? [];
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Builds the problem for a response that is not problem+json (a proxy's HTML page, say). */
export async function problemFromResponse(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => "");
  if (text) {
    try {
      const parsed = JSON.parse(text) as Partial<Problem>;
      if (parsed && typeof parsed === "object" && typeof parsed.title === "string") {
        return {
          ...parsed,
          type: parsed.type ?? "about:blank",
          title: parsed.title,
          status: typeof parsed.status === "number" ? parsed.status : response.status,
          detail: typeof parsed.detail === "string" ? parsed.detail : parsed.title,
        };
      }
    } catch {
      // Not JSON: fall through to a problem built from the status line.
    }
  }
  const title = response.statusText || `HTTP ${response.status}`;
  return { type: "about:blank", title, status: response.status, detail: title };
}
