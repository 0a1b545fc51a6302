import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../action/mask-secrets.ts';

function masked(inputs: Parameters<typeof maskSecrets>[0]): string[] {
  const values: string[] = [];
  maskSecrets(inputs, (value) => values.push(value));
  return values;
}

describe('maskSecrets', () => {
  it('masks the GitHub token, the API key and the OAuth token', () => {
    expect(
      masked({
        'github-token': 'ghs_token',
        'anthropic-api-key': 'sk-ant-api03-key',
        'claude-code-oauth-token': 'sk-ant-oat01-token',
      }),
    ).toEqual(['ghs_token', 'sk-ant-api03-key', 'sk-ant-oat01-token']);
  });

  it('skips inputs that are not set', () => {
    expect(masked({ 'anthropic-api-key': 'sk-ant-api03-key' })).toEqual(['sk-ant-api03-key']);
    expect(masked({})).toEqual([]);
  });

  describe('with a multi-line value', () => {
    it('masks the whole value and each of its lines', () => {
      expect(masked({ 'anthropic-api-key': 'first-line\r\nsecond-line\n' })).toEqual([
        'first-line\r\nsecond-line\n',
        'first-line\r\nsecond-line',
        'first-line',
        'second-line',
      ]);
    });
  });

  describe('with surrounding whitespace', () => {
    it('masks the trimmed value too', () => {
      expect(masked({ 'github-token': ' ghs_token\n' })).toEqual([' ghs_token\n', 'ghs_token']);
    });
  });

  it('masks a value shared by two inputs once', () => {
    expect(masked({ 'github-token': 'same-secret', 'claude-code-oauth-token': 'same-secret' })).toEqual([
      'same-secret',
    ]);
  });
});
