import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { WeftError } from "@weft/core-schema";
import type { CommandSpec } from "../command-spec.js";
import { flagBool } from "../parse-args.js";

/**
 * Where `weft init --example` copies from: the example shipped in this package (built from examples/basic), found
 * through the package's own name so that it also holds when this module is part of a bundle (the `weft` CLI).
 */
export function exampleDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve("@weft/cli/package.json")), "example");
}

const DEFAULT_CONFIG = {
  schema_version: "1.0.0",
  workers: { capabilities: [] },
  gates: {},
  fix_attempts: 2,
  isolation: "worktree",
};

const IGNORES = [".state/", ".weft/", ".aider*"];

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(relative(base, p));
  }
  return out;
}

/** Adds weft's working folders to .gitignore (idempotent) so runs never dirty the main working tree. */
function ensureGitignore(cwd: string): boolean {
  const file = join(cwd, ".gitignore");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = IGNORES.filter((l) => !have.has(l));
  if (missing.length === 0) return false;
  const sep = text === "" || text.endsWith("\n") ? "" : "\n";
  writeFileSync(file, `${text}${sep}# weft: run state and worktrees\n${missing.join("\n")}\n`);
  return true;
}

/** `weft init [--example]`: creates tasks/, capabilities/, .state/ and weft.config.json; never overwrites. */
export const initCommand: CommandSpec = {
  name: "init",
  summary:
    "create the weft layout (tasks/, capabilities/, .state/, weft.config.json); --example adds a runnable sample",
  usage: ["init [--example] [--force]"],
  flags: [
    {
      name: "example",
      type: "boolean",
      description: "add a sample repo: two workstreams with aider, lint and test tasks",
    },
    { name: "force", type: "boolean", description: "overwrite files that already exist" },
  ],
  details: "Files that already exist are kept (listed as skipped) unless --force is given.",
  async run(args, ctx) {
    const force = flagBool(args, "force");
    const created: string[] = [];
    const skipped: string[] = [];
    for (const d of ["tasks", "capabilities", ".state"]) {
      const p = join(ctx.cwd, d);
      if (!existsSync(p)) {
        mkdirSync(p, { recursive: true });
        created.push(`${d}/`);
      }
    }
    const files = new Map<string, () => void>();
    if (flagBool(args, "example")) {
      const src = exampleDir();
      if (!existsSync(src)) {
        throw new WeftError("CLI_CONFIG", "this weft build ships no example repo", {
          hint: "reinstall weft, or build it with `pnpm build` (which copies examples/basic)",
        });
      }
      for (const rel of listFiles(src)) {
        files.set(rel, () => {
          mkdirSync(dirname(join(ctx.cwd, rel)), { recursive: true });
          cpSync(join(src, rel), join(ctx.cwd, rel));
        });
      }
    }
    if (!files.has("weft.config.json")) {
      files.set("weft.config.json", () =>
        writeFileSync(join(ctx.cwd, "weft.config.json"), `${JSON.stringify(DEFAULT_CONFIG, null, 2)}\n`),
      );
    }
    for (const [rel, write] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      if (existsSync(join(ctx.cwd, rel)) && !force) skipped.push(rel);
      else {
        write();
        created.push(rel);
      }
    }
    if (ensureGitignore(ctx.cwd)) created.push(".gitignore (weft entries)");
    const data = { created, skipped, example: flagBool(args, "example") };
    return {
      exitCode: 0,
      data,
      render: () =>
        [
          ...created.map((f) => `created  ${f}`),
          ...skipped.map((f) => `skipped  ${f} (exists; --force overwrites)`),
          "",
          data.example
            ? "Next: weft validate tasks && weft plan && weft run"
            : "Next: add tasks under tasks/<workstream>/<task>.json, then weft validate tasks",
        ].join("\n"),
    };
  },
};
