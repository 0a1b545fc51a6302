/**
 * Config keys that make git run a command the configuration names, with the value that disarms each. The names carry
 * a subsection anyone can choose (`filter.<name>.clean`), so they cannot be overridden blindly: the keys present are
 * listed first. A filter becomes a no-op and stops being required; a merge driver becomes git's own text merge; a diff
 * driver becomes nothing (the engine never prints patches, so it is never used).
 */
const DISARMED: readonly { pattern: RegExp; value: (key: string) => [string, string][] }[] = [
  {
    pattern: /^filter\.(.+)\.(clean|smudge|process|required)$/i,
    value: (name) => [
      [`filter.${name}.clean`, ''],
      [`filter.${name}.smudge`, ''],
      [`filter.${name}.process`, ''],
      [`filter.${name}.required`, 'false'],
    ],
  },
  {
    pattern: /^merge\.(.+)\.(driver|recursive)$/i,
    value: (name) => [
      [`merge.${name}.driver`, 'git merge-file --marker-size=%L %A %O %B'],
      [`merge.${name}.recursive`, 'text'],
    ],
  },
  {
    pattern: /^diff\.(.+)\.(command|textconv)$/i,
    value: (name) => [
      [`diff.${name}.command`, ''],
      [`diff.${name}.textconv`, ''],
    ],
  },
  { pattern: /^credential\.(.+)\.helper$/i, value: (name) => [[`credential.${name}.helper`, '']] },
  { pattern: /^gpg\.(.+)\.program$/i, value: (name) => [[`gpg.${name}.program`, '']] },
  { pattern: /^core\.sshcommand$/i, value: () => [['core.sshCommand', 'ssh']] },
];

/**
 * The overrides that disarm every command-running key among `keys` (the names `git config --list --name-only`
 * prints), deduplicated, in a stable order.
 */
export function untrustedConfigOverrides(keys: readonly string[]): [string, string][] {
  const overrides = new Map<string, string>();
  for (const key of keys) {
    for (const { pattern, value } of DISARMED) {
      const match = pattern.exec(key);
      if (!match) continue;
      for (const [name, disarmed] of value(match[1] ?? '')) overrides.set(name, disarmed);
    }
  }
  return [...overrides.entries()];
}
