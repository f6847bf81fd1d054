import { WeftError } from "@weft/core-schema/runtime";
import type { FlagSpec, ParsedArgs } from "./command-spec.js";

/** Flags every command accepts (DESIGN §2). */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  {
    name: "cwd",
    type: "string",
    value: "<dir>",
    description: "run as if started in <dir> (default: the current directory)",
  },
  { name: "json", type: "boolean", description: "machine-readable output" },
  { name: "debug", type: "boolean", description: "show stack traces and debug logs" },
  { name: "help", type: "boolean", short: "h", description: "show help for the command" },
];

function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Levenshtein distance (small strings; for "did you mean"). */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/**
 * Parses argv (after the command word) against the command's flags plus the global ones. Accepts `--flag value`,
 * `--flag=value`, `-x value`, `--no-<boolean>`, and `--` to end flags. Unknown flags and missing values are
 * `CLI_USAGE` errors (exit 2) with a hint.
 */
export function parseArgs(command: string, argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const all = [...specs, ...GLOBAL_FLAGS];
  const byName = new Map(all.map((s) => [s.name, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags: Record<string, string | boolean | number | string[] | undefined> = {};
  const positionals: string[] = [];
  const usageHint = `run 'weft ${command} --help' to see its flags`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    let spec: FlagSpec | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      spec = byName.get(name);
      if (!spec && name.startsWith("no-")) {
        const neg = byName.get(name.slice(3));
        if (neg?.type === "boolean" && inline === undefined) {
          flags[neg.name] = false;
          continue;
        }
      }
    } else {
      name = arg.slice(1);
      spec = byShort.get(name);
    }
    if (!spec) {
      const guess = closest(
        name,
        all.map((s) => s.name),
      );
      throw new WeftError("CLI_USAGE", `unknown flag '${arg}' for 'weft ${command}'`, {
        hint: guess ? `did you mean '--${guess}'? (${usageHint})` : usageHint,
      });
    }
    if (spec.type === "boolean") {
      if (inline !== undefined && inline !== "true" && inline !== "false") {
        throw new WeftError("CLI_USAGE", `flag '--${spec.name}' takes no value (got '${inline}')`, {
          hint: usageHint,
        });
      }
      flags[spec.name] = inline === undefined ? true : inline === "true";
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-")) {
        throw new WeftError("CLI_USAGE", `flag '--${spec.name}' needs a value ${spec.value ?? ""}`.trim(), {
          hint: usageHint,
        });
      }
      value = next;
      i++;
    }
    if (spec.type === "number") {
      const n = Number(value);
      if (!Number.isFinite(n) || value.trim() === "") {
        throw new WeftError("CLI_USAGE", `flag '--${spec.name}' needs a number (got '${value}')`, {
          hint: usageHint,
        });
      }
      flags[spec.name] = n;
    } else if (spec.type === "list") {
      const prev = flags[spec.name];
      flags[spec.name] = [...(Array.isArray(prev) ? prev : []), ...value.split(",").filter((v) => v !== "")];
    } else {
      flags[spec.name] = value;
    }
  }
  return { positionals, flags };
}

/** Typed accessors for handlers. */
export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === "string" ? v : undefined;
}
export function flagNumber(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags[name];
  return typeof v === "number" ? v : undefined;
}
export function flagBool(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}
export function flagList(args: ParsedArgs, name: string): readonly string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}
