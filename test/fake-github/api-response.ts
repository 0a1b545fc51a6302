import type { z } from 'zod';

/** What a REST handler answers; the server turns it into an HTTP response (or, under fault injection, drops it). */
export interface ApiResponse {
  status: number;
  /** JSON body; absent for 204 and similar. */
  body?: unknown;
  /** A non-JSON body (raw file contents); sent as `text/plain` unless `headers` say otherwise. */
  text?: string;
  headers?: Record<string, string>;
}

/** Where GitHub's error bodies point; the fake keeps the shape, not the exact page. */
const DOCS = 'https://docs.github.com/rest';

/** One field problem of a 422 "Validation Failed" body. */
export interface ValidationProblem {
  resource: string;
  field: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  message?: string;
}

/**
 * A failed request, thrown by handlers and answered as GitHub does: `{ message, documentation_url, status }` (plus
 * `errors` for validation failures).
 */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  readonly status: number;
  readonly errors: ValidationProblem[] | undefined;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    message: string,
    options: { errors?: ValidationProblem[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  /** The response GitHub would send for this failure. */
  toResponse(): ApiResponse {
    return {
      status: this.status,
      headers: this.headers,
      body: {
        message: this.message,
        ...(this.errors === undefined ? {} : { errors: this.errors }),
        documentation_url: DOCS,
        status: String(this.status),
      },
    };
  }
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, body, headers };
}

/** 404 with GitHub's body; GitHub says only "Not Found" whether the repository or the item is missing. */
export function notFound(): ApiFailure {
  return new ApiFailure(404, 'Not Found');
}

/** 422 "Validation Failed" with the problems. */
export function validationFailed(problems: ValidationProblem[]): ApiFailure {
  return new ApiFailure(422, 'Validation Failed', { errors: problems });
}

/**
 * Parses a request body with a zod schema; a body that does not fit answers 422 "Invalid request." naming each
 * field, as GitHub does for schema violations.
 */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map(
    (issue) => `${issue.path.length === 0 ? 'body' : issue.path.join('.')}: ${issue.message}`,
  );
  throw new ApiFailure(422, `Invalid request.\n\n${details.join('\n')}`);
}
