import { describe, expect, it } from 'vitest';
import { slugifyTaskId, uniqueTaskIds } from '../../core/plan/slugify-task-id.ts';

describe('slugifyTaskId', () => {
  it.each([
    ['Add a `/health` endpoint', 'add-a-health-endpoint'],
    ['  Fix: the CLI crashes!  ', 'fix-the-cli-crashes'],
    ['Café crème über alles', 'cafe-creme-uber-alles'],
    ['API_v2 -- migrate', 'api-v2-migrate'],
  ])('turns %j into %j', (text, id) => {
    expect(slugifyTaskId(text)).toBe(id);
  });

  it('falls back to `task` when nothing usable is left', () => {
    expect(slugifyTaskId('🚀 !!! 日本語')).toBe('task');
    expect(slugifyTaskId('')).toBe('task');
  });

  describe('with text longer than 40 characters', () => {
    it('cuts at the last dash that fits', () => {
      expect(slugifyTaskId('Add the users table with email and created_at columns')).toBe(
        'add-the-users-table-with-email-and',
      );
    });

    it('keeps a cut that falls exactly on a word boundary', () => {
      const forty = 'abcdefghij-abcdefghij-abcdefghij-abcdefg';
      expect(slugifyTaskId(`${forty} more words`)).toBe(forty);
    });

    it('cuts inside a word when the only dash is early', () => {
      expect(slugifyTaskId(`a ${'b'.repeat(60)}`)).toBe(`a-${'b'.repeat(38)}`);
    });
  });
});

describe('uniqueTaskIds', () => {
  it('suffixes repeated slugs with -2, -3 in order', () => {
    expect(uniqueTaskIds(['Setup', 'setup', 'SETUP!', 'Other'])).toEqual([
      'setup',
      'setup-2',
      'setup-3',
      'other',
    ]);
  });

  it('does not reuse an id that a suffix already took', () => {
    expect(uniqueTaskIds(['setup', 'setup', 'setup-2'])).toEqual(['setup', 'setup-2', 'setup-2-2']);
  });

  it('shortens a 40-character slug so the suffix still fits', () => {
    const text = 'x'.repeat(50);
    expect(uniqueTaskIds([text, text])).toEqual(['x'.repeat(40), `${'x'.repeat(38)}-2`]);
  });
});
