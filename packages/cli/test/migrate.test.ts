import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runWeft } from "./run-weft.js";

// A v1 task as the original spec's repos carry it: no schema_version, 4-space indent, CRLF endings, odd spacing.
const V1_TEXT =
  '{\r\n    "task_id": "task-001",\r\n    "workstream_id": "ws-001",\r\n    "name": "Add greeting",\r\n    "type": "aider",\r\n    "dependencies": [],\r\n    "execution": { "command": "aider", "max_retries": 1 }\r\n}\r\n';

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "weft-migrate-"));
  mkdirSync(join(dir, "tasks", "ws-001"), { recursive: true });
  writeFileSync(join(dir, "tasks", "ws-001", "task-001.json"), V1_TEXT);
  writeFileSync(
    join(dir, "tasks", "ws-001", "task-002.json"),
    `${JSON.stringify({ schema_version: "2.0.0", task_id: "task-002", workstream_id: "ws-001", name: "Lint", type: "lint", execution: { command: "true" } }, null, 2)}\n`,
  );
  return dir;
}

describe("weft migrate (SCHEMA-VER-002)", () => {
  it("--dry-run writes nothing and says what would change", async () => {
    const dir = repo();
    const r = await runWeft(["migrate", "--dry-run"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("would migrate tasks/ws-001/task-001.json: 1.0.0 → 2.0.0");
    expect(readFileSync(join(dir, "tasks", "ws-001", "task-001.json"), "utf8")).toBe(V1_TEXT);
    expect(readdirSync(join(dir, "tasks"))).not.toContain(".backups");
  });

  it("rewrites a v1 task exactly per SPEC §12, keeps indentation and line endings, and --restore brings it back byte for byte", async () => {
    const dir = repo();
    const file = join(dir, "tasks", "ws-001", "task-001.json");
    const r = await runWeft(["migrate", "--json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { backup: string; changes: { file: string }[] };
    expect(out.changes.map((c) => c.file)).toEqual(["tasks/ws-001/task-001.json"]);
    const text = readFileSync(file, "utf8");
    expect(text).toContain('\r\n    "schema_version": "2.0.0",');
    expect(JSON.parse(text)).toEqual({
      schema_version: "2.0.0",
      task_id: "task-001",
      workstream_id: "ws-001",
      name: "Add greeting",
      type: "aider",
      dependencies: [],
      execution: { command: "aider", max_retries: 1 },
      context_requirements: {
        max_context_tokens: 8000,
        required_files: [],
        optional_files: [],
        exclude_patterns: ["**/__pycache__/**", "**/*.pyc", "**/node_modules/**"],
      },
      validation_rules: { pre_execution: ["git_clean"], post_execution: ["no_lint_errors"] },
    });
    expect(out.backup).toBe("tasks/.backups/2026-01-02T03-04-05-678Z");
    expect(readFileSync(join(dir, out.backup, "ws-001", "task-001.json"), "utf8")).toBe(V1_TEXT);

    const again = await runWeft(["migrate"], { cwd: dir });
    expect(again.stdout).toContain("already at schema 2.0.0");

    const restored = await runWeft(["migrate", "--restore", "2026-01-02T03-04-05-678Z"], { cwd: dir });
    expect(restored.code, restored.stderr).toBe(0);
    expect(readFileSync(file)).toEqual(Buffer.from(V1_TEXT));
  });

  it("refuses an unknown target and an unknown backup with exit 2 and a hint", async () => {
    const dir = repo();
    const bad = await runWeft(["migrate", "--to", "3.0.0"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("SCHEMA_MIGRATION_UNSUPPORTED");
    const none = await runWeft(["migrate", "--restore", "nope"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no backup folder 'nope'[\s\S]*hint/);
  });
});
