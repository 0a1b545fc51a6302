import type { Json } from './close-object-schemas.ts';

/**
 * Where GitHub's published descriptions (`test/github-spec/`) and what GitHub really sends disagree, so the fake
 * follows GitHub and its traffic validator accepts exactly these differences: each entry adds one property to the
 * object schemas that list certain others, with the evidence. Nothing else is tolerated. Remove an entry when the
 * description is fixed.
 */
export interface KnownSpecGap {
  /** The property GitHub sends that the description does not list. */
  property: string;
  /** It is accepted on object schemas listing all of these properties. */
  onObjectsListing: readonly string[];
  /** Its value's schema. */
  schema: Json;
  /** Why the fake sends it anyway. */
  reason: string;
}

export const KNOWN_SPEC_GAPS: readonly KnownSpecGap[] = [
  {
    property: 'user_view_type',
    onObjectsListing: ['login', 'avatar_url', 'site_admin'],
    schema: { type: 'string' },
    reason:
      'GitHub adds `user_view_type` to every user object since 2024 (REST’s `simple-user` lists it); several user ' +
      'objects of the webhook descriptions (a workflow run’s `actor`, an issue’s `user`) do not, as ' +
      '@octokit/webhooks-schemas forbids it.',
  },
  {
    property: 'display_title',
    onObjectsListing: ['workflow_id', 'run_number', 'run_attempt'],
    schema: { type: 'string' },
    reason:
      'GitHub sends a workflow run’s `display_title` in every `workflow_run` webhook; the description of ' +
      '`workflow_run.in_progress` alone omits it (`requested` and `completed` list it).',
  },
  {
    property: 'status',
    onObjectsListing: ['message', 'documentation_url'],
    schema: { type: 'string', pattern: '^[1-5][0-9][0-9]$' },
    reason:
      'GitHub’s error bodies carry the status as a string (`"status": "422"`) since 2023; `basic-error` and ' +
      '`validation-error` do not list it.',
  },
];
