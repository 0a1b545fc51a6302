/** The contexts a workflow expression may read. */
export interface ExpressionContext {
  inputs: Record<string, unknown>;
  matrix?: Record<string, unknown>;
  github: Record<string, unknown>;
  secrets: Record<string, string>;
}

type Token = { kind: 'string' | 'number' | 'word' | 'op'; text: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)(?![\w-])|([A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*)*)|(==|!=|&&|\|\||[!(),]))/y;
  let index = 0;
  while (index < expression.length) {
    if (/^\s*$/.test(expression.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (!match) throw new Error(`cannot read the expression \`${expression}\` at character ${index + 1}`);
    index = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: match[1].replace(/''/g, "'") });
    else if (match[2] !== undefined) tokens.push({ kind: 'number', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'word', text: match[3] });
    else tokens.push({ kind: 'op', text: match[4] ?? '' });
  }
  return tokens;
}

function truthy(value: unknown): boolean {
  return !(
    value === '' ||
    value === 0 ||
    value === false ||
    value === null ||
    value === undefined ||
    Number.isNaN(value)
  );
}

/** GitHub's loose equality: strings compare case-insensitively; a number and a string compare as numbers. */
function looselyEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return a === b;
}

function lookup(path: string, context: ExpressionContext): unknown {
  const [root = '', ...keys] = path.split('.');
  let value: unknown = (context as unknown as Record<string, unknown>)[root];
  for (const key of keys) {
    if (typeof value !== 'object' || value === null) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return value ?? null;
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  fromjson: (text) => JSON.parse(String(text)),
  tojson: (value) => JSON.stringify(value, null, 2),
  contains: (haystack, needle) =>
    Array.isArray(haystack)
      ? haystack.some((item) => looselyEqual(item, needle))
      : String(haystack).toLowerCase().includes(String(needle).toLowerCase()),
};

/**
 * Evaluates a GitHub Actions expression (the part inside `${{ }}`): property paths of `inputs`, `matrix`, `github`
 * and `secrets`, string and number literals, `== != && || !`, parentheses, and `fromJSON`, `toJSON`, `contains`.
 * Anything else is refused with the expression named, so a workflow the fake cannot run fails loudly.
 */
export function evaluateExpression(expression: string, context: ExpressionContext): unknown {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const take = (text?: string) => {
    const token = tokens[position++];
    if (!token || (text !== undefined && token.text !== text)) {
      throw new Error(`expected ${text ?? 'more'} in the expression \`${expression}\``);
    }
    return token;
  };
  const primary = (): unknown => {
    const token = take();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'op' && token.text === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token.kind === 'op' && token.text === '!') return !truthy(primary());
    if (token.kind !== 'word')
      throw new Error(`unexpected \`${token.text}\` in the expression \`${expression}\``);
    if (token.text === 'true' || token.text === 'false') return token.text === 'true';
    if (token.text === 'null') return null;
    if (peek()?.text === '(') {
      const fn = FUNCTIONS[token.text.toLowerCase()];
      if (!fn)
        throw new Error(`the fake runner does not know the function ${token.text} in \`${expression}\``);
      take('(');
      const args: unknown[] = [];
      while (peek()?.text !== ')') {
        args.push(or());
        if (peek()?.text === ',') take(',');
      }
      take(')');
      return fn(...args);
    }
    return lookup(token.text, context);
  };
  const comparison = (): unknown => {
    const left = primary();
    const op = peek()?.text;
    if (op !== '==' && op !== '!=') return left;
    take();
    const equal = looselyEqual(left, primary());
    return op === '==' ? equal : !equal;
  };
  const and = (): unknown => {
    let value = comparison();
    while (peek()?.text === '&&') {
      take();
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  const or = (): unknown => {
    let value = and();
    while (peek()?.text === '||') {
      take();
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  };
  const value = or();
  if (position < tokens.length)
    throw new Error(`unexpected \`${peek()?.text}\` in the expression \`${expression}\``);
  return value;
}

/** An expression value as text in a string (null is empty). */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Evaluates a workflow value: a string that is exactly one `${{ }}` keeps the expression's type (for `fromJSON`
 * matrices and numbers); other strings have each `${{ }}` replaced by its text.
 */
export function evaluateValue(value: unknown, context: ExpressionContext): unknown {
  if (typeof value !== 'string') return value;
  const whole = /^\s*\$\{\{(.*?)\}\}\s*$/s.exec(value);
  if (whole && !whole[1]?.includes('}}')) return evaluateExpression(whole[1] ?? '', context);
  return value.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) =>
    asText(evaluateExpression(expression, context)),
  );
}

/** Evaluates a value as text (`with:` inputs, names). */
export function evaluateText(value: unknown, context: ExpressionContext): string {
  return asText(evaluateValue(value, context));
}

/** Evaluates an `if:` condition, which may omit `${{ }}`. */
export function evaluateCondition(condition: unknown, context: ExpressionContext): boolean {
  if (condition === undefined) return true;
  if (typeof condition === 'boolean') return condition;
  const text = String(condition);
  const inner = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(text)?.[1] ?? text;
  return truthy(evaluateExpression(inner, context));
}
