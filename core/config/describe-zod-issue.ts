import { z } from 'zod';
import { showControlCharacters } from '../plan/control-characters.ts';
import { closestName } from './closest-name.ts';

/** A path into user-written data, as zod reports it. */
export type DataPath = readonly PropertyKey[];

/** One user-facing problem derived from a zod issue, with the path of the value it is about. */
export interface DescribedIssue {
  /** Where the problem is; for an unknown key, the path of that key itself. */
  path: DataPath;
  /** The sentence after the location prefix, naming the key and the fix. */
  message: string;
}

/** `budget.per_task_usd`, `allowed_tools[2]`: the notation a user would write to point at a value. */
export function formatPath(path: DataPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** A short, safe rendering of a user value for "(got …)": scalars quoted, containers named. */
export function describeValue(value: unknown): string {
  if (value === null) return '`null`';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    // Control characters shown escaped: a NUL or an escape sequence quoted raw would hide what was given.
    const oneLine = showControlCharacters(value.replace(/\s+/g, ' '));
    return `\`${oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine}\``;
  }
  return `\`${String(value)}\``;
}

const EXPECTED_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

/**
 * The object keys a schema accepts at `path`, looking through defaults, optionals and arrays; empty when
 * the path does not lead to an object schema.
 */
export function knownKeysAt(schema: z.ZodType, path: DataPath): string[] {
  let current: z.ZodType = schema;
  let remaining = [...path];
  for (;;) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap() as z.ZodType;
      continue;
    }
    const [head, ...rest] = remaining;
    if (head === undefined) return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
    if (current instanceof z.ZodObject && typeof head === 'string' && head in current.shape) {
      current = current.shape[head] as z.ZodType;
    } else if (current instanceof z.ZodArray && typeof head === 'number') {
      current = current.element as z.ZodType;
    } else {
      return [];
    }
    remaining = rest;
  }
}

function describeSize(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, subject: string): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const got = issue.input;
  if (issue.origin === 'string') {
    if (small && bound <= 1) return `${subject} must not be empty`;
    const length = typeof got === 'string' ? ` (got ${got.length})` : '';
    return `${subject} must be at ${small ? 'least' : 'most'} ${bound} characters long${length}`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    const length = Array.isArray(got) ? ` (got ${got.length})` : '';
    return `${subject} must have at ${small ? 'least' : 'most'} ${bound} ${bound === 1 ? 'entry' : 'entries'}${length}`;
  }
  const inclusive = issue.inclusive !== false;
  const relation = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
  return `${subject} must be ${relation} ${bound} (got ${describeValue(got)})`;
}

function describeType(issue: z.core.$ZodIssueInvalidType, subject: string): string {
  const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
  if (issue.input === undefined) return `${subject} is missing; add it (${expected})`;
  const got = describeValue(issue.input);
  // YAML reads `title: 123` or `prompt: yes` as a number or boolean; quoting is the fix people miss.
  const scalar = typeof issue.input === 'number' || typeof issue.input === 'boolean';
  const hint = issue.expected === 'string' && scalar ? '; put it in quotes to make it text' : '';
  return `${subject} must be ${expected} (got ${got})${hint}`;
}

function describeUnknownKey(schema: z.ZodType, parent: DataPath, key: string): DescribedIssue {
  const path = [...parent, key];
  const known = knownKeysAt(schema, parent);
  const suggestion = closestName(key, known);
  const fix = suggestion
    ? `did you mean \`${suggestion}\`?`
    : `remove it${known.length > 0 ? ` (known keys: ${known.join(', ')})` : ''}`;
  return { path, message: `\`${formatPath(path)}\` is not a known key; ${fix}` };
}

/**
 * Turns zod issues into user-facing sentences, one per problem (one per unknown key). `rootName` names the
 * whole value when an issue is about it, e.g. "the configuration". Issues must come from a parse with
 * `reportInput: true` so the sentences can quote what the user wrote.
 */
export function describeZodIssues(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  rootName: string,
): DescribedIssue[] {
  const described: DescribedIssue[] = [];
  for (const issue of issues) {
    const subject = issue.path.length === 0 ? rootName : `\`${formatPath(issue.path)}\``;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) described.push(describeUnknownKey(schema, issue.path, key));
        break;
      case 'invalid_type':
        described.push({ path: issue.path, message: describeType(issue, subject) });
        break;
      case 'invalid_value': {
        const values = issue.values.map(String);
        const allowed = values.length === 1 ? `\`${values[0]}\`` : `one of ${values.join(', ')}`;
        described.push({
          path: issue.path,
          message: `${subject} must be ${allowed} (got ${describeValue(issue.input)})`,
        });
        break;
      }
      case 'too_small':
      case 'too_big':
        described.push({ path: issue.path, message: describeSize(issue, subject) });
        break;
      case 'invalid_format':
        // Our schemas give every pattern a message that starts with "must …".
        described.push({
          path: issue.path,
          message: `${subject} ${issue.message} (got ${describeValue(issue.input)})`,
        });
        break;
      default:
        described.push({ path: issue.path, message: `${subject}: ${issue.message}` });
    }
  }
  return described;
}
