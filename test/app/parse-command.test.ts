import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, SUBCOMMANDS } from '../../app/parse-command.ts';

describe('parseCommand', () => {
  describe('with the command word alone', () => {
    it('starts a run without instructions', () => {
      expect(parseCommand('/cluster', 'cluster')).toEqual({ kind: 'start' });
    });

    it('takes the rest of the comment as instructions', () => {
      expect(parseCommand('/cluster\nUse the new API.\n\nKeep it small.  ', 'cluster')).toEqual({
        kind: 'start',
        extraInstructions: 'Use the new API.\n\nKeep it small.',
      });
    });
  });

  describe('with instructions on the first line', () => {
    it('starts a run with all the text after the word', () => {
      expect(parseCommand('/cluster please split the parser\ninto modules', 'cluster')).toEqual({
        kind: 'start',
        extraInstructions: 'please split the parser\ninto modules',
      });
    });
  });

  describe('with a subcommand', () => {
    it.each([
      ['/cluster plan', { kind: 'plan' }],
      ['/cluster PLAN only the backend', { kind: 'plan', extraInstructions: 'only the backend' }],
      ['/cluster approve', { kind: 'approve' }],
      ['/cluster status', { kind: 'status' }],
      ['/cluster cancel', { kind: 'cancel' }],
      ['/cluster help', { kind: 'help' }],
      ['/cluster retry failed', { kind: 'retry', selection: { kind: 'failed' } }],
      ['/cluster retry Api-Client', { kind: 'retry', selection: { kind: 'task', taskId: 'api-client' } }],
      ['\n\n   /CLUSTER Status\r\nthanks!', { kind: 'status' }],
    ])('reads %j', (body, command) => {
      expect(parseCommand(body, 'cluster')).toEqual(command);
    });
  });

  describe('with a command not understood', () => {
    it('suggests the closest subcommand', () => {
      expect(parseCommand('/cluster aprove', 'cluster')).toEqual({
        kind: 'invalid',
        problem: '`/cluster aprove` is not a command; did you mean `/cluster approve`?',
      });
    });

    it('refuses one lone unknown word rather than starting a run on it', () => {
      expect(parseCommand('/cluster go', 'cluster')).toEqual({
        kind: 'invalid',
        problem: '`/cluster go` is not a command',
      });
    });

    it('says what retry takes when the task is missing or there are two', () => {
      const usage = '`/cluster retry` takes one task id or `failed`, e.g. `/cluster retry failed`';
      expect(parseCommand('/cluster retry', 'cluster')).toEqual({ kind: 'invalid', problem: usage });
      expect(parseCommand('/cluster retry api db', 'cluster')).toEqual({ kind: 'invalid', problem: usage });
    });

    it('refuses a task id that cannot be one', () => {
      expect(parseCommand('/cluster retry api_v2', 'cluster')).toMatchObject({
        kind: 'invalid',
        problem: expect.stringMatching(/^`api_v2` is not a task id/),
      });
    });
  });

  describe('with a comment not addressed to the App', () => {
    it.each([
      'Thanks, /cluster looks great',
      'text first\n/cluster',
      '/clusters',
      '/cluster-bot status',
      '/assign @me',
      '',
    ])('returns undefined for %j', (body) => {
      expect(parseCommand(body, 'cluster')).toBeUndefined();
    });
  });

  describe('with a configured word', () => {
    it('answers that word only', () => {
      expect(parseCommand('/swarm status', 'swarm')).toEqual({ kind: 'status' });
      expect(parseCommand('/cluster status', 'swarm')).toBeUndefined();
    });
  });

  describe('on arbitrary text', () => {
    it('never throws', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string(), (text, word) => {
          parseCommand(text, word);
          parseCommand(`/cluster ${text}`, 'cluster');
        }),
      );
    });

    it('ignores every comment whose first non-blank character is not `/`', () => {
      fc.assert(
        fc.property(
          fc.string().filter((text) => !text.trimStart().startsWith('/')),
          (text) => parseCommand(text, 'cluster') === undefined,
        ),
      );
    });

    it('reads the same command in any letter case', () => {
      const subcommand = fc.constantFrom(...SUBCOMMANDS.filter((name) => name !== 'retry'));
      fc.assert(
        fc.property(subcommand, fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), (name, upper) => {
          const mixed = [...`/cluster ${name}`].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
          expect(parseCommand(mixed, 'cluster')).toEqual(parseCommand(`/cluster ${name}`, 'cluster'));
        }),
      );
    });

    it('keeps instructions on later lines whole', () => {
      fc.assert(
        fc.property(
          fc.string({ minLength: 1 }).filter((text) => text.trim() !== ''),
          (text) => {
            expect(parseCommand(`/cluster\n${text}`, 'cluster')).toEqual({
              kind: 'start',
              extraInstructions: text.replace(/\r\n?/g, '\n').trim(),
            });
          },
        ),
      );
    });
  });
});
