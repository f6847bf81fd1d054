import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
} from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { downgradeTaskV2ToV1, migrateTaskV1ToV2, taskSchemaVersionOf, WeftError } from "@weft/core-schema";
import type { CommandSpec } from "../command-spec.js";
import { writeFileAtomic } from "../internal/atomic-write.js";
import { flagBool, flagString } from "../parse-args.js";

const TARGETS = ["1.0.0", "2.0.0"] as const;

/** The indentation a JSON file uses (kept when rewriting). */
function indentOf(text: string): string | number {
  const m = /\n([ \t]+)"/.exec(text);
  return m ? m[1]! : 2;
}

function timestampDir(now: Date): string {
  return now.toISOString().replace(/[:.]/g, "-");
}

interface Change {
  readonly file: string;
  readonly from: string;
  readonly to: string;
  readonly added: readonly string[];
  readonly dropped: readonly string[];
}

/**
 * `weft migrate` (SCHEMA-VER-002, SPEC §12): rewrites task files to the target schema version. Every rewrite is
 * atomic, originals are copied byte for byte to `tasks/.backups/<timestamp>/` first, and `--restore` copies a
 * backup back byte for byte.
 */
export const migrateCommand: CommandSpec = {
  name: "migrate",
  summary: "migrate task definitions between schema versions (backup, dry run, restore)",
  usage: [
    "migrate [--to 2.0.0] [--dry-run]",
    "migrate --to 1.0.0          (downgrade: drops context_requirements, validation_rules)",
    "migrate --restore <backup>  (a folder under tasks/.backups/)",
  ],
  flags: [
    {
      name: "to",
      type: "string",
      value: "<version>",
      description: "target task schema version: 2.0.0 (default) or 1.0.0",
    },
    { name: "dry-run", type: "boolean", description: "show what would change; write nothing" },
    {
      name: "restore",
      type: "string",
      value: "<backup>",
      description: "restore the task files saved in a backup folder",
    },
  ],
  details: "Backups: tasks/.backups/<timestamp>/ mirrors tasks/ for every file that was rewritten.",
  async run(args, ctx) {
    const tasksDir = join(ctx.cwd, "tasks");
    if (!existsSync(tasksDir)) {
      throw new WeftError("LOADER_NOT_A_REPO", `no tasks/ folder in ${ctx.cwd}`, {
        hint: "run `weft init` first, or pass --cwd <repo>",
      });
    }
    const restore = flagString(args, "restore");
    if (restore !== undefined) {
      const dir =
        restore.includes("/") || restore.includes(sep)
          ? join(ctx.cwd, restore)
          : join(tasksDir, ".backups", restore);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        const have = existsSync(join(tasksDir, ".backups"))
          ? readdirSync(join(tasksDir, ".backups")).sort()
          : [];
        throw new WeftError("CLI_USAGE", `no backup folder '${restore}'`, {
          hint: have.length ? `backups: ${have.join(", ")}` : "there are no backups under tasks/.backups/",
        });
      }
      const restored: string[] = [];
      const walk = (d: string): void => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name !== "manifest.json" || d !== dir) {
            const rel = relative(dir, p);
            const dest = join(tasksDir, rel);
            mkdirSync(dirname(dest), { recursive: true });
            copyFileSync(p, `${dest}.tmp-restore`);
            renameSync(`${dest}.tmp-restore`, dest);
            restored.push(`tasks/${rel.split(sep).join("/")}`);
          }
        }
      };
      walk(dir);
      return {
        exitCode: 0,
        data: { restored },
        render: () => restored.map((f) => `restored ${f}`).join("\n") || "nothing to restore",
      };
    }
    const to = flagString(args, "to") ?? "2.0.0";
    if (!(TARGETS as readonly string[]).includes(to)) {
      throw new WeftError("SCHEMA_MIGRATION_UNSUPPORTED", `unknown target task schema version '${to}'`, {
        hint: `use --to ${TARGETS.join(" or --to ")}`,
      });
    }
    const dryRun = flagBool(args, "dry-run");
    const changes: Change[] = [];
    const rewrites: { path: string; text: string; original: Buffer }[] = [];
    const problems: string[] = [];
    // The loader's own walk (`listTaskFiles`): migrate rewrites exactly the files every other command loads as tasks.
    const { listTaskFiles } = await import("@weft/loader");
    for (const { absolutePath: path } of await listTaskFiles({ cwd: ctx.cwd })) {
      const original = readFileSync(path);
      const rel = relative(ctx.cwd, path).split(sep).join("/");
      let raw: Record<string, unknown>;
      try {
        raw = JSON.parse(original.toString("utf8")) as Record<string, unknown>;
      } catch (e) {
        problems.push(
          `${rel}: not valid JSON (${(e as Error).message}); skipped — run 'weft validate tasks' for the location`,
        );
        continue;
      }
      const from = taskSchemaVersionOf(raw);
      if (from === to) continue;
      let next: Record<string, unknown>;
      let dropped: string[] = [];
      if (to === "2.0.0") next = migrateTaskV1ToV2(raw);
      else {
        const d = downgradeTaskV2ToV1(raw);
        next = d.task;
        dropped = Object.keys(d.dropped);
      }
      const added = Object.keys(next).filter((k) => !(k in raw));
      changes.push({ file: rel, from, to, added, dropped });
      const eol = original.includes("\r\n") ? "\r\n" : "\n";
      const text = JSON.stringify(next, null, indentOf(original.toString("utf8"))).replace(/\n/g, eol) + eol;
      rewrites.push({ path, text, original });
    }
    let backup: string | null = null;
    if (!dryRun && rewrites.length > 0) {
      const stamp = timestampDir(ctx.io.now());
      const dir = join(tasksDir, ".backups", stamp);
      for (const r of rewrites) {
        const dest = join(dir, relative(tasksDir, r.path));
        mkdirSync(dirname(dest), { recursive: true });
        copyFileSync(r.path, dest);
      }
      writeFileAtomic(
        join(dir, "manifest.json"),
        `${JSON.stringify({ schema_version: "1.0.0", created_at: ctx.io.now().toISOString(), to, files: changes }, null, 2)}\n`,
      );
      for (const r of rewrites) writeFileAtomic(r.path, r.text);
      backup = `tasks/.backups/${stamp}`;
    }
    const data = { to, dry_run: dryRun, changes, backup, problems };
    return {
      exitCode: problems.length > 0 ? 1 : 0,
      data,
      render: () => {
        const lines = changes.map(
          (c) =>
            `${dryRun ? "would migrate" : "migrated"} ${c.file}: ${c.from} → ${c.to}${c.added.length ? ` (+${c.added.join(", +")})` : ""}${c.dropped.length ? ` (dropped ${c.dropped.join(", ")})` : ""}`,
        );
        if (changes.length === 0) lines.push(`every task file is already at schema ${to}`);
        if (backup)
          lines.push(`backup: ${backup} (undo with: weft migrate --restore ${backup.split("/").pop()})`);
        lines.push(...problems.map((p) => `problem: ${p}`));
        return lines.join("\n");
      },
    };
  },
};
