import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { z } from 'zod';
import { closeObjectSchemas, convertNullable, type Json } from './close-object-schemas.ts';
import { KNOWN_SPEC_GAPS } from './known-spec-gaps.ts';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const SPEC_DIR = new URL('../github-spec/', import.meta.url);

const ParameterSchema = z.object({ name: z.string(), in: z.string(), required: z.boolean().optional() });
const ReferenceSchema = z.object({ $ref: z.string() });
const OperationSchema = z.object({
  parameters: z.array(z.union([ReferenceSchema, ParameterSchema])).default([]),
  requestBody: z
    .object({ required: z.boolean().optional(), content: z.record(z.string(), z.unknown()) })
    .optional(),
  responses: z.record(z.string(), z.unknown()),
});
const ResponseSchema = z.object({ content: z.record(z.string(), z.unknown()).optional() });
const ApiDocumentSchema = z.object({
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({
    parameters: z.record(z.string(), z.unknown()).default({}),
    responses: z.record(z.string(), z.unknown()).default({}),
  }),
});
const WebhookDocumentSchema = z.object({
  webhooks: z.record(z.string(), z.object({ post: z.object({ operationId: z.string() }) })),
});

function readSpec(name: string): { [key: string]: Json } {
  return JSON.parse(readFileSync(fileURLToPath(new URL(name, SPEC_DIR)), 'utf8')) as { [key: string]: Json };
}

/** One segment of a JSON pointer inside a URI fragment (`{owner}` must be percent-encoded there). */
function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
}

/** What the validator needs from the subsets, compiled once per process and shared by every fake. */
class CompiledSpec {
  readonly api = ApiDocumentSchema.parse(readSpec('api-subset.json'));
  readonly webhooks = WebhookDocumentSchema.parse(readSpec('webhooks-subset.json'));
  /** Requests follow the description as written; responses and webhooks also refuse unlisted properties. */
  private readonly strict = new Ajv2020({
    strict: false,
    allErrors: true,
    validateSchema: false,
    logger: false,
  });
  private readonly coercing = new Ajv2020({
    strict: false,
    allErrors: true,
    validateSchema: false,
    logger: false,
    coerceTypes: 'array',
  });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    const api = convertNullable(readSpec('api-subset.json'));
    const webhooks = readSpec('webhooks-subset.json');
    for (const ajv of [this.strict, this.coercing]) {
      addFormats(ajv);
      ajv.addSchema(api, 'api');
    }
    this.strict.addSchema(closeObjectSchemas(api, KNOWN_SPEC_GAPS), 'api-closed');
    this.strict.addSchema(closeObjectSchemas(webhooks, KNOWN_SPEC_GAPS), 'webhooks-closed');
  }

  /** The compiled schema at `id#pointer` (or a schema built from such references). */
  compile(key: string, schema: object, coerce = false): ValidateFunction {
    let found = this.cache.get(key);
    if (!found) {
      found = (coerce ? this.coercing : this.strict).compile(schema);
      this.cache.set(key, found);
    }
    return found;
  }

  /** The operation `METHOD /template` and its JSON pointer, if the subset has it. */
  operation(
    method: string,
    template: string,
  ): { pointer: string; operation: z.infer<typeof OperationSchema> } | undefined {
    const found = this.api.paths[template]?.[method.toLowerCase()];
    if (found === undefined) return undefined;
    return {
      pointer: `/paths/${pointerSegment(template)}/${method.toLowerCase()}`,
      operation: OperationSchema.parse(found),
    };
  }

  /** A parameter (resolving `#/components/parameters/…`) and the pointer of its schema. */
  parameter(
    entry: z.infer<typeof OperationSchema>['parameters'][number],
    inlinePointer: string,
  ): { parameter: z.infer<typeof ParameterSchema>; schemaPointer: string } {
    if ('$ref' in entry) {
      const name = entry.$ref.replace('#/components/parameters/', '');
      return {
        parameter: ParameterSchema.parse(this.api.components.parameters[name]),
        schemaPointer: `/components/parameters/${pointerSegment(name)}/schema`,
      };
    }
    return { parameter: entry, schemaPointer: `${inlinePointer}/schema` };
  }

  /**
   * The pointer of the JSON schema GitHub documents for a status (resolving `#/components/responses/…`): undefined
   * when the status is not documented, null when it is documented without a JSON body.
   */
  response(pointer: string, responses: Record<string, unknown>, status: number): string | null | undefined {
    let entry = responses[String(status)];
    if (entry === undefined) return undefined;
    let at = `${pointer}/responses/${status}`;
    const ref = ReferenceSchema.safeParse(entry);
    if (ref.success) {
      const name = ref.data.$ref.replace('#/components/responses/', '');
      entry = this.api.components.responses[name];
      at = `/components/responses/${pointerSegment(name)}`;
    }
    const json = ResponseSchema.parse(entry).content?.['application/json'];
    return json === undefined ? null : `${at}/content/application~1json/schema`;
  }
}

let compiled: CompiledSpec | undefined;

/** The subsets, read and prepared on first use. */
function compiledSpec(): CompiledSpec {
  if (compiled === undefined) compiled = new CompiledSpec();
  return compiled;
}

/** A request as the fake's router saw it. */
export interface RequestToCheck {
  method: string;
  /** The route's template, GitHub's path (`/repos/{owner}/{repo}/issues/{issue_number}`). */
  template: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** The fake's answer to a request of a route. */
export interface ResponseToCheck {
  method: string;
  template: string;
  status: number;
  body: unknown;
}

/** Most lines listed per violation; the rest are counted. */
const MAX_LINES = 30;

/** Ajv's errors, one line each (the alternatives of a failed `oneOf`/`anyOf` are listed, not the `oneOf` itself). */
function describe(errors: readonly ErrorObject[] | null | undefined): string[] {
  const lines = new Set<string>();
  for (const error of errors ?? []) {
    const where = error.instancePath === '' ? '(root)' : error.instancePath;
    if (error.keyword === 'unevaluatedProperties' || error.keyword === 'additionalProperties')
      lines.add(
        `${where}: has \`${String(error.params.unevaluatedProperty ?? error.params.additionalProperty)}\`, which the description does not list`,
      );
    else if (error.keyword === 'required') lines.add(`${where}: lacks \`${error.params.missingProperty}\``);
    else if ((error.keyword !== 'oneOf' && error.keyword !== 'anyOf') || (errors?.length ?? 0) === 1)
      lines.add(`${where}: ${error.message ?? error.keyword} (${JSON.stringify(error.params)})`);
  }
  const all = [...lines].sort();
  return all.length > MAX_LINES ? [...all.slice(0, MAX_LINES), `… and ${all.length - MAX_LINES} more`] : all;
}

/**
 * Checks the fake's REST traffic and webhooks against GitHub's published descriptions (the subsets in
 * `test/github-spec/`): each request against its operation (the operation must be in the subset; path and query
 * parameters, unknown query parameters, the body), each response against the schema of its status, each webhook
 * against its event and action. Violations are collected in {@link violations}, one readable paragraph each; the
 * e2e suites fail when any is left. Schemas compile once per process.
 */
export class TrafficValidator {
  /** One entry per violating request, response or webhook. */
  readonly violations: string[] = [];
  private readonly spec = compiledSpec();

  private record(subject: string, problems: string[]): void {
    if (problems.length > 0) this.violations.push(`${subject}\n  ${problems.join('\n  ')}`);
  }

  /** Runs a check; a failure of the validator itself is a violation too, and never changes the fake's answer. */
  private guard(subject: string, check: () => void): void {
    try {
      check();
    } catch (error) {
      this.record(subject, [
        `could not be checked: ${error instanceof Error ? error.message : String(error)}`,
      ]);
    }
  }

  /** A request matched a fake route named `METHOD /template`. */
  checkRequest(input: RequestToCheck): void {
    this.guard(`request ${input.method} ${input.template}`, () => this.requestNow(input));
  }

  /** The fake answers a request to `METHOD /template` with `status` and a JSON body (or none). */
  checkResponse(input: ResponseToCheck): void {
    this.guard(`response ${input.status} to ${input.method} ${input.template}`, () =>
      this.responseNow(input),
    );
  }

  /** The fake sends a webhook `event` (`X-GitHub-Event`) with its payload. */
  checkWebhook(event: string, payload: object): void {
    this.guard(`webhook ${event}`, () => this.webhookNow(event, payload));
  }

  private requestNow(input: RequestToCheck): void {
    const name = `${input.method} ${input.template}`;
    const found = this.spec.operation(input.method, input.template);
    if (!found) {
      this.record(`request ${name}`, [
        'is not an operation of test/github-spec/api-subset.json: add it to test/github-spec/used-operations.ts and run `npm run github-spec`',
      ]);
      return;
    }
    const problems: string[] = [];
    for (const location of ['path', 'query'] as const) {
      const properties: Record<string, object> = {};
      const required: string[] = [];
      found.operation.parameters.forEach((entry, index) => {
        const { parameter, schemaPointer } = this.spec.parameter(
          entry,
          `${found.pointer}/parameters/${index}`,
        );
        if (parameter.in !== location) return;
        properties[parameter.name] = { $ref: `api#${schemaPointer}` };
        if (parameter.required === true) required.push(parameter.name);
      });
      const values: Record<string, string | string[]> = {};
      if (location === 'path') Object.assign(values, input.params);
      else
        for (const key of new Set(input.query.keys())) {
          const all = input.query.getAll(key);
          values[key] = all.length === 1 ? (all[0] ?? '') : all;
        }
      const validate = this.spec.compile(
        `${name} ${location}`,
        { type: 'object', properties, required, additionalProperties: false },
        true,
      );
      if (!validate(values)) problems.push(...describe(validate.errors).map((line) => `${location} ${line}`));
    }
    const body = found.operation.requestBody;
    if (body === undefined) {
      if (input.body !== undefined) problems.push('body: sent, but the operation takes none');
    } else if (input.body === undefined) {
      if (body.required === true) problems.push('body: missing');
    } else {
      const pointer = `${found.pointer}/requestBody/content/application~1json/schema`;
      const validate = this.spec.compile(`${name} body`, { $ref: `api#${pointer}` });
      if (!validate(input.body)) problems.push(...describe(validate.errors).map((line) => `body ${line}`));
    }
    this.record(`request ${name}`, problems);
  }

  private responseNow(input: ResponseToCheck): void {
    const name = `${input.method} ${input.template}`;
    const found = this.spec.operation(input.method, input.template);
    if (!found) return; // the request was reported already
    const subject = `response ${input.status} to ${name}`;
    const pointer = this.spec.response(found.pointer, found.operation.responses, input.status);
    if (pointer === undefined && input.status < 400)
      this.record(subject, ['is not a documented status of the operation']);
    else if (input.body === undefined) return;
    // GitHub answers every error with a JSON body, documented or not.
    else if (typeof pointer !== 'string') {
      if (input.status >= 400)
        this.checkBody(subject, 'api-closed#/components/schemas/basic-error', input.body);
      else this.record(subject, ['has a body, but GitHub documents none for this status']);
    } else this.checkBody(subject, `api-closed#${pointer}`, input.body);
  }

  private webhookNow(event: string, payload: object): void {
    const action = (payload as { action?: unknown }).action;
    const operationId = `${event}${typeof action === 'string' ? `/${action}` : ''}`.replaceAll('_', '-');
    const subject = `webhook ${event}${typeof action === 'string' ? `.${action}` : ''}`;
    const key = Object.entries(this.spec.webhooks.webhooks).find(
      ([, hook]) => hook.post.operationId === operationId,
    )?.[0];
    if (key === undefined) {
      this.record(subject, [
        'is not a webhook of test/github-spec/webhooks-subset.json: add it to test/github-spec/used-operations.ts and run `npm run github-spec`',
      ]);
      return;
    }
    this.checkBody(
      subject,
      `webhooks-closed#/webhooks/${pointerSegment(key)}/post/requestBody/content/application~1json/schema`,
      payload,
    );
  }

  private checkBody(subject: string, ref: string, body: unknown): void {
    const validate = this.spec.compile(ref, { $ref: ref });
    if (!validate(body)) this.record(subject, describe(validate.errors));
  }
}
