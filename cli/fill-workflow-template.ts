import { InputError } from '../core/errors/errors.ts';

/** How the committed templates refer to the action: a placeholder owner, explained in each template's header. */
export const TEMPLATE_ACTION_REPOSITORY = 'claude-cluster/claude-cluster';
/** The placeholder ref of the templates. */
export const TEMPLATE_ACTION_REF = 'v1';

/** An action reference `owner/repo@ref`, split. */
export interface ActionReference {
  repository: string;
  ref: string;
}

/** `owner/repo@ref`: what `uses:` accepts for an action at the root of a repository. */
export const ACTION_REFERENCE_PATTERN =
  /^([A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9._-]+)@([A-Za-z0-9._/-]+)$/;

/** Splits `owner/repo@ref`; throws an `InputError` with an example for anything else. */
export function parseActionReference(text: string): ActionReference {
  const match = ACTION_REFERENCE_PATTERN.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new InputError(`--action \`${text}\` is not an action reference`, [
      'give owner/repo@ref, e.g. --action my-org/claude-cluster@v1 (a tag, branch or commit SHA)',
    ]);
  }
  return { repository: match[1], ref: match[2] };
}

/**
 * A workflow template with its placeholder action reference replaced by `action`: every
 * `uses: claude-cluster/claude-cluster@v1`, and in the zero-hosting template the checkout of the App's sources
 * (`repository:` / `ref:`). The header paragraph that explains the placeholder is replaced by a line naming the
 * reference. Throws when the template holds no placeholder (a template changed without this function).
 */
export function fillWorkflowTemplate(
  template: string,
  action: ActionReference,
  templateName: string,
): string {
  const placeholder = `${TEMPLATE_ACTION_REPOSITORY}@${TEMPLATE_ACTION_REF}`;
  const checkoutRepository = `repository: ${TEMPLATE_ACTION_REPOSITORY}`;
  let replaced = 0;
  let afterCheckoutRepository = false;
  const filled = template.split('\n').map((line) => {
    let next = line.replace(`uses: ${placeholder}`, `uses: ${action.repository}@${action.ref}`);
    // The zero-hosting template checks out the App's sources: `repository:` then `ref:` of the same repository.
    if (next.trimStart() === checkoutRepository) {
      next = next.replace(checkoutRepository, `repository: ${action.repository}`);
    } else if (afterCheckoutRepository && next.trimStart() === `ref: ${TEMPLATE_ACTION_REF}`) {
      next = next.replace(`ref: ${TEMPLATE_ACTION_REF}`, `ref: ${action.ref}`);
    }
    afterCheckoutRepository = line.trimStart() === checkoutRepository;
    if (next !== line) replaced += 1;
    return next;
  });
  if (replaced === 0) {
    throw new Error(`${templateName} holds no \`${placeholder}\` to replace; update fillWorkflowTemplate`);
  }
  return replacePlaceholderNote(filled, `${action.repository}@${action.ref}`).join('\n');
}

/** Drops the header paragraph that calls the reference a placeholder and names the reference instead. */
function replacePlaceholderNote(lines: string[], reference: string): string[] {
  const start = lines.findIndex((line) => line.startsWith('#') && line.includes('is a placeholder owner'));
  if (start === -1) return lines;
  let end = start;
  while (end < lines.length && lines[end] !== '#') end += 1;
  return [
    ...lines.slice(0, start),
    `# Written by \`claude-cluster init\` for the action ${reference}; change the reference to update it.`,
    ...lines.slice(end),
  ];
}
