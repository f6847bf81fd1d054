import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Diagnostic,
  formatDiagnostic,
  hasErrors,
  listTaskFiles,
  loadRepo,
  loadTaskFile,
  parseDocument,
  parseRegistryFile,
  parseTaskFile,
} from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "fixtures");
const example = join(here, "..", "..", "..", "examples", "basic");

/** `file:line:col severity CODE` — what the tests pin down exactly. */
const where = (d: Diagnostic) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`;

const temps: string[] = [];
function tempRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "weft-loader-"));
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

const lintTask = (id: string, ws: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    schema_version: "2.0.0",
    task_id: id,
    workstream_id: ws,
    name: `Task ${id}`,
    type: "lint",
    execution: { command: "npm run lint" },
    ...extra,
  });

describe("examples/basic (the repo behind `weft init --example` and the demo)", () => {
  it("loads with zero diagnostics", async () => {
    const { repo, issues } = await loadRepo({ cwd: example });
    expect(issues.map((d) => formatDiagnostic(d))).toEqual([]);
    expect(repo.tasks.map((t) => `${t.workstream_id}/${t.task_id}:${t.type}`)).toEqual([
      "ws-001/task-001:aider",
      "ws-001/task-002:lint",
      "ws-001/task-003:pytest",
      "ws-002/task-004:custom",
      "ws-002/task-005:pytest",
    ]);
    expect(repo.workstreams.map((w) => [w.workstream_id, w.depends_on])).toEqual([
      ["ws-001", []],
      ["ws-002", ["ws-001"]],
    ]);
    expect(repo.capabilities.map((c) => c.CapabilityId)).toEqual(["aider", "git", "node", "python-lint"]);
    expect(repo.resources.map((r) => `${r.ResourceId}:${r.Type}`)).toEqual([
      "llm-api:rate_limited",
      "worktree-src:shared",
      "test-runner:pooled",
    ]);
    expect(repo.config.gates).toEqual({
      no_lint_errors: "node scripts/lint.mjs",
      tests_passing: "node --test test/greeting.test.js",
    });
    expect(repo.files["capabilities/registry.psd1"]).toMatchObject({
      kind: "capabilities",
      format: "psd1",
      valid: true,
    });
  });

  it("the test task runs with Node only (no Python on CI machines)", async () => {
    const { repo } = await loadRepo({ cwd: example });
    for (const t of repo.tasks.filter((t) => t.type !== "aider"))
      expect(t.execution.command).toMatch(/^node /);
  });

  it("task-001 is the SPEC §3 example: aider, schema 2.0.0, every field, and it validates", () => {
    const file = "tasks/ws-001/task-001.json";
    const parsed = parseTaskFile(readFileSync(join(example, file), "utf8"), {
      file,
      workstreamFolder: "ws-001",
    });
    expect(parsed.issues).toEqual([]);
    expect(parsed.declaredVersion).toBe("2.0.0");
    const raw = parsed.raw as Record<string, unknown>;
    for (const field of [
      "schema_version",
      "task_id",
      "workstream_id",
      "name",
      "description",
      "type",
      "status",
      "dependencies",
      "blocks",
      "critical",
      "priority",
      "estimated_duration_seconds",
      "worker_requirements",
      "execution",
      "context_requirements",
      "validation_rules",
      "resource_requirements",
      "state",
    ]) {
      expect(raw, field).toHaveProperty(field);
    }
    expect(parsed.task).toMatchObject({
      task_id: "task-001",
      workstream_id: "ws-001",
      type: "aider",
      schema_version: "2.0.0",
      context_requirements: { required_files: ["src/greeting.js"] },
    });
  });
});

describe("registries: .psd1 in the spec's form loads into the same data as its JSON (and YAML) twin", () => {
  const twins = join(fixtures, "twins");
  for (const [kind, stem, others] of [
    ["capabilities", "registry", ["registry.json"]],
    ["resources", "resources", ["resources.json", "resources.yaml"]],
  ] as const) {
    it(`${stem}.psd1 ≡ ${others.join(" ≡ ")}`, () => {
      const psd1Text = readFileSync(join(example, "capabilities", `${stem}.psd1`), "utf8");
      const psd1 = parseRegistryFile(psd1Text, {
        file: `capabilities/${stem}.psd1`,
        kind: kind as "capabilities",
      });
      expect(psd1.issues).toEqual([]);
      for (const other of others) {
        const text = readFileSync(join(twins, other), "utf8");
        // The documents themselves are equal, before any schema defaults are applied …
        expect(parseDocument(text, other).value, other).toEqual(
          parseDocument(psd1Text, `${stem}.psd1`).value,
        );
        // … and so are the validated entries.
        const twin = parseRegistryFile(text, { file: `capabilities/${other}`, kind: kind as "capabilities" });
        expect(twin.issues).toEqual([]);
        expect(twin.entries, other).toEqual(psd1.entries);
      }
    });
  }

  it("reads PowerShell keys case-insensitively, the versioned form, and a single entry", () => {
    const lower = parseRegistryFile(
      "@( @{ capabilityid = 'git'; version = '2.0.0'; NAME = 'GitOperations' } )",
      {
        file: "capabilities/registry.psd1",
        kind: "capabilities",
      },
    );
    expect(lower.issues).toEqual([]);
    expect(lower.entries[0]).toMatchObject({ CapabilityId: "git", Version: "2.0.0", Name: "GitOperations" });
    const versioned = parseRegistryFile(
      '{ "schema_version": "1.0.0", "Capabilities": [ { "CapabilityId": "git", "Version": "2.0.0", "Name": "Git" } ] }',
      { file: "capabilities/registry.json", kind: "capabilities" },
    );
    expect(versioned.issues).toEqual([]);
    expect(versioned.entries.map((e) => e.CapabilityId)).toEqual(["git"]);
    const single = parseRegistryFile("ResourceId: db\nType: exclusive\n", {
      file: "capabilities/resources.yaml",
      kind: "resources",
    });
    expect(single.issues).toEqual([]);
    expect(single.entries).toMatchObject([{ ResourceId: "db", MaxHolders: 1 }]);
  });

  it("points schema errors inside a .psd1 at the offending value", () => {
    const text =
      "@(\n    @{\n        CapabilityId = 'git'\n        Version      = '2.0'\n        Name         = 'Git'\n        Stability    = 'stabel'\n    }\n)\n";
    const r = parseRegistryFile(text, { file: "capabilities/registry.psd1", kind: "capabilities" });
    expect(r.issues.map((d) => `${d.line}:${d.column} ${d.code} ${d.message} | ${d.hint}`)).toEqual([
      `4:24 LOADER_SCHEMA Version of entry 1 ('git') must be a semantic version such as 1.0.0, found the string '2.0' | write it like "1.0.0" (MAJOR.MINOR.PATCH)`,
      `6:24 LOADER_SCHEMA Stability of entry 1 ('git') must be one of 'experimental', 'stable', 'deprecated', found the string 'stabel' | did you mean 'stable'?`,
    ]);
  });
});

describe("a broken repo: every problem reported at once, each with its own code and place", () => {
  it("reports exactly these diagnostics", async () => {
    const { issues } = await loadRepo({ cwd: join(fixtures, "broken") });
    expect(issues.map(where)).toEqual([
      "capabilities/registry.psd1:9:24 error LOADER_PSD1_SYNTAX",
      "capabilities/resources.json:2:3 error LOADER_SCHEMA",
      "capabilities/resources.json:4:19 error LOADER_DUPLICATE_ID",
      "tasks/Bad WS/:1:1 error LOADER_BAD_ID",
      "tasks/Bad WS/ok.json:4:20 error LOADER_BAD_ID",
      "tasks/stray.json:1:1 error LOADER_MISPLACED_FILE",
      "tasks/ws-001/bad id.json:1:1 error LOADER_BAD_ID",
      "tasks/ws-001/bad id.json:3:14 error LOADER_BAD_ID",
      "tasks/ws-001/bad-dep.json:7:31 error LOADER_BAD_ID",
      "tasks/ws-001/bad-types.json:6:11 error LOADER_SCHEMA",
      "tasks/ws-001/bad-types.json:7:15 error LOADER_SCHEMA",
      "tasks/ws-001/bad-types.json:10:24 error LOADER_SCHEMA",
      "tasks/ws-001/comment.json:3:3 error LOADER_INVALID_JSON",
      "tasks/ws-001/dup-key.json:7:3 error LOADER_DUPLICATE_KEY",
      "tasks/ws-001/extra-field.json:7:3 warning LOADER_UNKNOWN_FIELD",
      "tasks/ws-001/extra-field.json:8:45 warning LOADER_UNKNOWN_FIELD",
      "tasks/ws-001/future.json:2:21 error LOADER_UNKNOWN_SCHEMA_VERSION",
      "tasks/ws-001/missing-name.json:1:1 error LOADER_SCHEMA",
      "tasks/ws-001/newer.json:2:21 warning LOADER_NEWER_SCHEMA_VERSION",
      "tasks/ws-001/notes.yaml:1:1 warning LOADER_IGNORED_FILE",
      "tasks/ws-001/old.json:1:1 warning LOADER_V1_TASK",
      "tasks/ws-001/trailing-comma.json:7:45 error LOADER_INVALID_JSON",
      "tasks/ws-001/truncated.json:6:17 error LOADER_INVALID_JSON",
      "tasks/ws-001/wrong-folder.json:4:20 error LOADER_FOLDER_MISMATCH",
      "tasks/ws-001/wrong-name.json:3:14 error LOADER_FILENAME_MISMATCH",
      "tasks/ws-002/Newer.json:3:14 warning LOADER_ID_CASE_COLLISION",
      "tasks/ws-002/old.json:3:14 error LOADER_DUPLICATE_ID",
      "weft.config.json:3:25 error LOADER_SCHEMA",
      "weft.config.json:4:3 warning LOADER_UNKNOWN_FIELD",
    ]);
    expect(hasErrors(issues)).toBe(true);
  });

  it("says what is wrong and how to fix it, in the file's own terms", async () => {
    const { issues } = await loadRepo({ cwd: join(fixtures, "broken") });
    const at = (file: string, line: number) => issues.find((d) => d.file === file && d.line === line)!;
    expect(at("tasks/ws-001/truncated.json", 6)).toMatchObject({
      message: "unexpected end of file: the object '{' opened at line 1, column 1 is never closed",
      requirement: "TASK-DEF-001",
    });
    expect(at("tasks/ws-001/wrong-name.json", 3)).toMatchObject({
      message: 'task_id "other-name" differs from the file name "wrong-name.json"',
      hint: 'rename the file to tasks/ws-001/other-name.json, or set "task_id": "wrong-name"',
    });
    expect(at("tasks/ws-001/wrong-folder.json", 4).hint).toBe(
      'move the file to tasks/ws-999/wrong-folder.json, or set "workstream_id": "ws-001"',
    );
    expect(at("tasks/ws-001/bad-types.json", 10)).toMatchObject({
      message: 'execution.timeout_seconds must be a number, found the string "600"',
      hint: "write the number without quotes: 600",
      requirement: "TASK-DEF-002",
      path: ["execution", "timeout_seconds"],
    });
    expect(at("tasks/ws-001/bad-types.json", 6).hint).toBe('did you mean "aider"?');
    expect(at("tasks/ws-001/missing-name.json", 1)).toMatchObject({
      message: 'missing required field "name"',
      hint: 'add "name": "…"',
    });
    expect(at("tasks/ws-001/extra-field.json", 7)).toMatchObject({
      message: 'unknown field "dependancies" (ignored)',
      hint: 'did you mean "dependencies"?',
    });
    expect(at("tasks/ws-001/future.json", 2)).toMatchObject({
      message: 'schema_version "3.0.0" is not one this weft reads (1.0.0, 2.0.0)',
      requirement: "SCHEMA-VER-001",
    });
    expect(at("tasks/ws-002/old.json", 3).message).toBe(
      'task_id "old" is already defined by tasks/ws-001/old.json (line 2)',
    );
    expect(at("capabilities/registry.psd1", 9).message).toBe(
      "sub-expression '$(…)' is not allowed in a data file: weft reads data and never runs PowerShell",
    );
  });

  it("still loads every valid task, migrated, and keeps the first of a duplicated id", async () => {
    const { repo } = await loadRepo({ cwd: join(fixtures, "broken") });
    expect(repo.tasks.map((t) => `${t.workstream_id}/${t.task_id}`)).toEqual([
      "ws-001/dup-key",
      "ws-001/extra-field",
      "ws-001/newer",
      "ws-001/old",
      "ws-999/wrong-folder",
      "ws-001/other-name",
      "ws-002/Newer",
    ]);
    expect(repo.files["tasks/ws-002/old.json"]).toMatchObject({ valid: false });
    expect(repo.workstreams.map((w) => w.workstream_id)).toEqual(["ws-001", "ws-002"]);
    expect(repo.capabilities).toEqual([]); // the registry did not parse
    expect(repo.resources.map((r) => r.ResourceId)).toEqual(["db"]); // llm-api invalid, second db duplicate
    expect(repo.config.workers.heartbeat_seconds).toBe(10); // defaults when the config is invalid
  });

  it("keeps the source text of files with diagnostics, for code frames", async () => {
    const { repo } = await loadRepo({ cwd: join(fixtures, "broken") });
    expect(repo.files["tasks/ws-001/comment.json"]!.source).toContain("// a comment");
    expect(repo.files["tasks/ws-002/old.json"]!.source).toContain('"task_id": "old"');
    expect(repo.files["tasks/ws-001/_workstream.json"]!.source).toBeUndefined();
    const all = await loadRepo({ cwd: join(fixtures, "broken"), keepSources: "all" });
    expect(all.repo.files["tasks/ws-001/_workstream.json"]!.source).toContain("ws-001");
    const none = await loadRepo({ cwd: join(fixtures, "broken"), keepSources: "none" });
    expect(Object.values(none.repo.files).every((f) => f.source === undefined)).toBe(true);
  });
});

describe("schema versions (SCHEMA-VER-001/002)", () => {
  it("migrates a v1 aider task in memory with the SPEC §12 defaults, with a warning", async () => {
    const v1 = {
      task_id: "edit",
      workstream_id: "ws",
      name: "Edit",
      type: "aider",
      execution: { command: "aider", timeout_seconds: 60 },
    };
    const dir = tempRepo({ "tasks/ws/edit.json": JSON.stringify(v1, null, 2) });
    const { repo, issues } = await loadRepo({ cwd: dir });
    expect(issues.map((d) => `${where(d)} ${d.requirement}`)).toEqual([
      "tasks/ws/edit.json:1:1 warning LOADER_V1_TASK SCHEMA-VER-002",
    ]);
    expect(repo.tasks[0]).toMatchObject({
      schema_version: "2.0.0",
      context_requirements: {
        max_context_tokens: 8000,
        required_files: [],
        optional_files: [],
        exclude_patterns: ["**/__pycache__/**", "**/*.pyc", "**/node_modules/**"],
      },
      validation_rules: { pre_execution: ["git_clean"], post_execution: ["no_lint_errors"] },
      execution: { timeout_seconds: 60 },
    });
    // The file itself is untouched: `weft migrate` rewrites files.
    expect(JSON.parse(readFileSync(join(dir, "tasks/ws/edit.json"), "utf8"))).toEqual(v1);
  });

  it("treats an explicit 1.0.0 like a missing version, and rejects a non-string version", async () => {
    const dir = tempRepo({
      "tasks/ws/a.json": JSON.stringify({
        schema_version: "1.0.0",
        task_id: "a",
        workstream_id: "ws",
        name: "A",
        type: "pytest",
        execution: { command: "pytest" },
      }),
      "tasks/ws/b.json":
        '{"schema_version": 2, "task_id": "b", "workstream_id": "ws", "name": "B", "type": "lint"}',
    });
    const { repo, issues } = await loadRepo({ cwd: dir });
    expect(issues.map(where)).toEqual([
      "tasks/ws/a.json:1:19 warning LOADER_V1_TASK",
      "tasks/ws/b.json:1:20 error LOADER_SCHEMA",
    ]);
    expect(issues[1]!.message).toBe('schema_version must be a string such as "2.0.0", found 2');
    expect(repo.tasks[0]!.validation_rules).toEqual({ pre_execution: [], post_execution: ["tests_passing"] });
  });

  it("rejects unknown versions of workstream files, registries and the config", async () => {
    const dir = tempRepo({
      "tasks/ws/_workstream.json": '{ "schema_version": "9.0.0" }',
      "capabilities/resources.json": '{ "schema_version": "2.0.0", "Resources": [] }',
      "weft.config.json": '{ "schema_version": "banana" }',
    });
    const { issues } = await loadRepo({ cwd: dir });
    expect(issues.map(where)).toEqual([
      "capabilities/resources.json:1:21 error LOADER_UNKNOWN_SCHEMA_VERSION",
      "tasks/ws/_workstream.json:1:21 error LOADER_UNKNOWN_SCHEMA_VERSION",
      "weft.config.json:1:21 error LOADER_UNKNOWN_SCHEMA_VERSION",
    ]);
  });
});

describe("repo layout", () => {
  it("gives every tasks/<ws>/ folder a workstream (defaults without _workstream.json) and checks its id", async () => {
    const dir = tempRepo({
      "tasks/alpha/t1.json": lintTask("t1", "alpha"),
      "tasks/beta/_workstream.json": '{ "workstream_id": "gamma", "depends_on": ["alpha"] }',
      "tasks/empty/.gitkeep": "",
    });
    const { repo, issues } = await loadRepo({ cwd: dir });
    expect(issues.map(where)).toEqual(["tasks/beta/_workstream.json:1:20 error LOADER_FOLDER_MISMATCH"]);
    expect(repo.workstreams.map((w) => [w.workstream_id, w.isolation, w.merge.strategy])).toEqual([
      ["alpha", "worktree", "merge"],
      ["beta", "worktree", "merge"],
      ["empty", "worktree", "merge"],
    ]);
  });

  it("defaults workstream_id in _workstream.json to its folder", async () => {
    const dir = tempRepo({
      "tasks/ws/_workstream.json": '{ "depends_on": [], "final_validation": ["tests_passing"] }',
    });
    const { repo, issues } = await loadRepo({ cwd: dir });
    expect(issues).toEqual([]);
    expect(repo.workstreams[0]).toMatchObject({ workstream_id: "ws", final_validation: ["tests_passing"] });
  });

  it("skips tasks/.backups/ (weft migrate) and hidden folders; warns about nested folders", async () => {
    const dir = tempRepo({
      "tasks/ws/t1.json": lintTask("t1", "ws"),
      "tasks/.backups/2026-01-01T00-00-00-000Z/ws/t1.json": "{ not json",
      "tasks/ws/.hidden/x.json": "{ not json",
      "tasks/ws/sub/t2.json": lintTask("t2", "ws"),
    });
    const { repo, issues } = await loadRepo({ cwd: dir });
    expect(issues.map(where)).toEqual(["tasks/ws/sub/:1:1 warning LOADER_IGNORED_FILE"]);
    expect(repo.tasks.map((t) => t.task_id)).toEqual(["t1"]);
    expect((await listTaskFiles({ cwd: dir })).map((f) => f.file)).toEqual(["tasks/ws/t1.json"]);
  });

  it("reports a directory that is not a weft repo", async () => {
    const dir = tempRepo({});
    const { repo, issues } = await loadRepo({ cwd: dir });
    expect(issues.map(where)).toEqual(["tasks/:1:1 error LOADER_NOT_A_REPO"]);
    expect(repo.tasks).toEqual([]);
    expect(repo.config.schema_version).toBe("1.0.0");
  });

  it("reports two forms of one registry and reads the JSON one", async () => {
    const { repo, issues } = await loadRepo({ cwd: join(fixtures, "ambiguous") });
    expect(issues.map((d) => `${where(d)} ${d.requirement}`)).toEqual([
      "capabilities/registry.psd1:1:1 error LOADER_AMBIGUOUS_FILE CAP-REG-001",
    ]);
    expect(repo.files["capabilities/registry.json"]).toMatchObject({ kind: "capabilities", valid: true });
    expect(repo.capabilities).toEqual([]);
  });

  it("refuses symlinks that leave the repository, follows those that stay inside, reports broken ones", async () => {
    const outside = tempRepo({ "secret.json": lintTask("secret", "ws") });
    const dir = tempRepo({
      "shared/t2.json": lintTask("t2", "ws"),
      "tasks/ws/t1.json": lintTask("t1", "ws"),
    });
    symlinkSync(join(outside, "secret.json"), join(dir, "tasks/ws/secret.json"));
    symlinkSync(join(dir, "shared/t2.json"), join(dir, "tasks/ws/t2.json"));
    symlinkSync(join(dir, "nowhere.json"), join(dir, "tasks/ws/gone.json"));
    const { repo, issues } = await loadRepo({ cwd: dir });
    expect(issues.map(where)).toEqual([
      "tasks/ws/gone.json:1:1 error LOADER_READ_FAILED",
      "tasks/ws/secret.json:1:1 error LOADER_PATH_ESCAPE",
    ]);
    expect(repo.tasks.map((t) => t.task_id)).toEqual(["t1", "t2"]);
  });

  it("reads through an injected file system, reporting read failures", async () => {
    const dir = tempRepo({
      "tasks/ws/t1.json": lintTask("t1", "ws"),
      "tasks/ws/t2.json": lintTask("t2", "ws"),
    });
    const fs = await import("node:fs/promises");
    const failing = {
      readFile: async (path: string, encoding: "utf8") => {
        if (path.endsWith("t2.json")) throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
        return fs.readFile(path, encoding);
      },
      readdir: (path: string, options: { withFileTypes: true }) => fs.readdir(path, options),
      stat: fs.stat,
      realpath: (path: string) => fs.realpath(path),
    };
    const { repo, issues } = await loadRepo({ cwd: dir, fs: failing, concurrency: 2 });
    expect(issues.map((d) => `${where(d)} ${d.message}`)).toEqual([
      "tasks/ws/t2.json:1:1 error LOADER_READ_FAILED cannot read the file: EIO: i/o error, read",
    ]);
    expect(repo.tasks.map((t) => t.task_id)).toEqual(["t1"]);
  });
});

describe("loadTaskFile (for weft migrate)", () => {
  it("returns the raw document, its version and the migrated task", async () => {
    const dir = tempRepo({
      "tasks/ws/old.json": JSON.stringify({
        task_id: "old",
        workstream_id: "ws",
        name: "Old",
        type: "custom",
        execution: { command: "make" },
      }),
    });
    const loaded = await loadTaskFile({ cwd: dir, file: "tasks/ws/old.json" });
    expect(loaded.declaredVersion).toBeUndefined();
    expect(loaded.readAs).toBe("1.0.0");
    expect(loaded.raw).not.toHaveProperty("validation_rules");
    expect(loaded.task).toMatchObject({
      schema_version: "2.0.0",
      validation_rules: { pre_execution: [], post_execution: [] },
    });
    expect(loaded.source).toContain('"task_id":"old"');
    expect(loaded.issues.map(where)).toEqual(["tasks/ws/old.json:1:1 warning LOADER_V1_TASK"]);
    const missing = await loadTaskFile({ cwd: dir, file: "tasks/ws/none.json" });
    expect(missing.issues.map(where)).toEqual(["tasks/ws/none.json:1:1 error LOADER_READ_FAILED"]);
  });
});

describe("requirements of file-level problems", () => {
  it("names the requirement of the file the problem is in", async () => {
    const dir = tempRepo({ "tasks/ws/t1.json": lintTask("t1", "ws"), "capabilities/registry.json": "[" });
    symlinkSync(join(dir, "nowhere.psd1"), join(dir, "capabilities", "resources.psd1"));
    const { issues } = await loadRepo({ cwd: dir });
    // A dangling registry link is reported, not taken for "no registry".
    expect(issues.map((d) => `${where(d)} ${d.requirement}`)).toEqual([
      "capabilities/registry.json:1:2 error LOADER_INVALID_JSON CAP-REG-001",
      "capabilities/resources.psd1:1:1 error LOADER_READ_FAILED CONC-REG-001",
    ]);
  });
});
