import type { CommandSpec, FlagSpec } from "./command-spec.js";

type Listed = Pick<CommandSpec, "name" | "summary">;

function flagLine(f: FlagSpec): string {
  const name = `${f.short ? `-${f.short}, ` : "    "}--${f.name}${f.value ? ` ${f.value}` : f.type === "number" ? " <n>" : f.type === "boolean" ? "" : " <value>"}`;
  return `  ${name.padEnd(34)} ${f.description}`;
}

/** `weft --help`. */
export function renderGlobalHelp(commands: readonly Listed[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `weft ${version} — orchestrate AI-assisted development as a DAG of workstreams`,
    "",
    "Usage: weft <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    "",
    "Every command takes --help, --cwd <dir>, --json (machine output) and --debug.",
    "Exit codes: 0 ok, 1 a task/validation/run failed, 2 usage or configuration error, 130 interrupted.",
    "",
  ].join("\n");
}

/** `weft <command> --help`. */
export function renderCommandHelp(command: CommandSpec, globals: readonly FlagSpec[]): string {
  const lines = [`weft ${command.name} — ${command.summary}`, "", "Usage:"];
  for (const u of command.usage) lines.push(`  weft ${u}`);
  if (command.flags.length > 0) {
    lines.push("", "Options:");
    for (const f of command.flags) lines.push(flagLine(f));
  }
  lines.push("", "Global options:");
  for (const f of globals) lines.push(flagLine(f));
  if (command.details) lines.push("", command.details.trimEnd());
  lines.push("");
  return lines.join("\n");
}
