import { describe, expect, it } from 'vitest';
import { extractPlanOutput } from '../../core/agent/extract-plan-output.ts';

const planYaml = 'tasks:\n  - id: api\n    title: Add the API\n    prompt: Add it.\n';
const planObject = { tasks: [{ id: 'api', title: 'Add the API', prompt: 'Add it.' }] };
const expectedPlan = {
  tasks: [{ id: 'api', title: 'Add the API', prompt: 'Add it.', depends_on: [], files: [] }],
};
const noPlan =
  'the output holds no plan: print one fenced block tagged `cluster` with `tasks:` in YAML, or one JSON object {"tasks": [...]}';

describe('extractPlanOutput', () => {
  describe('with a cluster block', () => {
    it('reads the plan from it, ignoring a final cluster_result line', () => {
      const stdout = `Thinking…\n\`\`\`cluster\n${planYaml}\`\`\`\n{"cluster_result":{"summary":"planned"}}\n`;
      expect(extractPlanOutput(stdout)).toEqual({ ok: true, plan: expectedPlan, source: 'block' });
    });

    it('accepts the `yaml cluster` info string', () => {
      expect(extractPlanOutput(`\`\`\`yaml cluster\n${planYaml}\`\`\`\n`)).toMatchObject({
        ok: true,
        source: 'block',
      });
    });

    it('prefers the block to a JSON object printed after it', () => {
      const other = JSON.stringify({ tasks: [{ id: 'other', title: 'Other', prompt: 'x' }] });
      expect(extractPlanOutput(`\`\`\`cluster\n${planYaml}\`\`\`\n${other}\n`)).toMatchObject({
        ok: true,
        plan: expectedPlan,
      });
    });

    it('reports every problem of an invalid plan', () => {
      const stdout =
        '```cluster\ntasks:\n  - id: Bad Id\n    title: A\n    prompt: a\n    depends_on: [ghost]\n```\n';
      const result = extractPlanOutput(stdout);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems).toEqual([
        'task #1 (`Bad Id`): id `Bad Id` is not a valid id; use lowercase letters, digits and single dashes, at most 40 characters, e.g. `bad-id`',
        'task #1 (`Bad Id`) depends on `ghost`, which is not in the plan; add that task or remove the dependency',
      ]);
    });

    it('reports YAML syntax errors with their line', () => {
      const result = extractPlanOutput('```cluster\ntasks: [\n```\n');
      expect(!result.ok && result.problems[0]).toMatch(/^plan YAML line 1, column \d+: /);
    });

    it('refuses more tasks than allowed', () => {
      const two = `${planYaml}  - id: web\n    title: Web\n    prompt: w\n`;
      const result = extractPlanOutput(`\`\`\`cluster\n${two}\`\`\`\n`, { maxTasks: 1 });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems.join('\n')).toMatch(/2 tasks.*1/);
    });
  });

  describe('with JSON', () => {
    it('reads a plan printed as the whole output, pretty-printed', () => {
      expect(extractPlanOutput(JSON.stringify(planObject, null, 2))).toEqual({
        ok: true,
        plan: expectedPlan,
        source: 'json',
      });
    });

    it('finds the plan inside prose, after an unbalanced brace and before a cluster_result line', () => {
      const stdout = `I will use {braces here and\nHere it is: ${JSON.stringify(planObject)} — done.\n{"cluster_result":{"turns":2}}\n`;
      expect(extractPlanOutput(stdout)).toMatchObject({ ok: true, plan: expectedPlan, source: 'json' });
    });

    it('takes the last of several plans', () => {
      const first = JSON.stringify({ tasks: [{ id: 'first', title: 'First', prompt: 'x' }] });
      expect(extractPlanOutput(`${first}\nRevised:\n${JSON.stringify(planObject)}\n`)).toMatchObject({
        ok: true,
        plan: expectedPlan,
      });
    });

    it('reads a plan inside a ```json block with terminal colours around it', () => {
      const stdout = `\u001b[32mPlan:\u001b[0m\n\`\`\`json\n${JSON.stringify(planObject)}\n\`\`\`\n`;
      expect(extractPlanOutput(stdout)).toMatchObject({ ok: true, source: 'json' });
    });

    it('does not take an object nested in other JSON for a plan', () => {
      const event = JSON.stringify({ type: 'log', data: planObject });
      expect(extractPlanOutput(`${event}\n`)).toEqual({ ok: false, problems: [noPlan] });
    });

    it('reports the problems of an invalid JSON plan', () => {
      const cyclic = {
        tasks: [
          { id: 'a', title: 'A', prompt: 'a', depends_on: ['b'] },
          { id: 'b', title: 'B', prompt: 'b', depends_on: ['a'] },
        ],
      };
      const result = extractPlanOutput(JSON.stringify(cyclic));
      expect(!result.ok && result.problems).toEqual([
        'dependency cycle `a → b → a` (each task depends on the next); remove one of these dependencies so the tasks can run in order',
      ]);
    });
  });

  describe('without a plan', () => {
    it('says what to print', () => {
      expect(extractPlanOutput('I could not decide.\n{"cluster_result":{"summary":"none"}}')).toEqual({
        ok: false,
        problems: [noPlan],
      });
    });

    it('does not take a task list for a plan', () => {
      expect(extractPlanOutput('- [ ] add the API\n- [ ] add the UI\n')).toEqual({
        ok: false,
        problems: [noPlan],
      });
    });
  });
});
