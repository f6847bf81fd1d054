/** POSIX single-quote a value so `sh -c` sees it as one literal word (SPEC §3, DESIGN §7). */
export function shellQuote(value: string): string {
  if (value === "") return "''";
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Placeholder values a command may use (SPEC §3). */
export interface CommandPlaceholders {
  readonly prompt: string;
  readonly task_id: string;
  readonly workstream_id: string;
  readonly worktree: string;
}

/**
 * Substitutes `{prompt}`, `{task_id}`, `{workstream_id}` and `{worktree}` in a command, each shell-quoted: a command
 * never receives an unquoted value from a task file (SPEC §3). Other braces are left alone.
 */
export function substitutePlaceholders(command: string, values: CommandPlaceholders): string {
  return command.replace(
    /\{(prompt|task_id|workstream_id|worktree)\}/g,
    (_m, key: keyof CommandPlaceholders) => shellQuote(values[key]),
  );
}
