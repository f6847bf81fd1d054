/**
 * Test helpers around the fake `aider` (test/fixtures/fake-aider/aider). Other packages' end-to-end tests may
 * import this file by path, or locate the fixture with
 * `path.join(path.dirname(require.resolve("@weft/adapter-aider/package.json")), "test/fixtures/fake-aider")`.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, realpath, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type TaskDefinition, type TaskRunContext, WeftConfig } from "@weft/core-schema";

/** Directory holding the fake `aider` executable: put it first on PATH. */
export const FAKE_AIDER_DIR = fileURLToPath(new URL("../fixtures/fake-aider/", import.meta.url)).replace(
  /\/$/,
  "",
);
/** Absolute path of the fake `aider` executable. */
export const FAKE_AIDER_BIN = path.join(FAKE_AIDER_DIR, "aider");

/** One scripted invocation of the fake (see README "The fake aider"). */
export interface FakeAiderRun {
  edits?: ({ file: string; search: string; replace: string } | { file: string; content: string })[];
  reply?: string;
  commit_message?: string;
  tokens?: { sent?: number; received?: number; cost?: number; cache_write?: number; cache_hit?: number };
  tokens_per_call?: FakeAiderRun["tokens"][];
  priced?: boolean;
  outside_writes?: { file: string; content: string; commit?: boolean }[];
  announce_skip?: string[];
  rate_limit?: boolean;
  auth_error?: boolean;
  api_error?: boolean;
  retries?: number;
  context_window?: boolean;
  crash?: boolean;
  crash_at_start?: boolean;
  crash_message?: string;
  hang?: boolean;
  pid_file?: string;
}

/** A scenario file: runs are consumed one per invocation (the last one repeats). */
export interface FakeAiderScenario {
  runs: FakeAiderRun[];
  /** JSONL file the fake appends one record per invocation to (argv, cwd, env, message, answers…). */
  record_file?: string;
}

/** What the fake recorded about one invocation. */
export interface FakeAiderRecord {
  call: number;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  message: string | null;
  answers: { question: string; subject?: string; answer: string }[];
  in_chat?: string[];
  read_only?: string[];
  exit_code?: number;
  executed_command?: string;
  hanging?: boolean;
}

/** Writes a scenario file into `dir` and returns its path (pass it as FAKE_AIDER_SCENARIO). */
export async function writeScenario(dir: string, scenario: FakeAiderScenario): Promise<string> {
  const file = path.join(dir, `scenario-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(scenario, null, 2));
  return file;
}

/** Reads the fake's records (empty when it never ran). */
export async function readRecords(file: string): Promise<FakeAiderRecord[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as FakeAiderRecord);
}

/** `PATH` with the fake's directory first. */
export function pathWithFakeAider(pathEnv: string | undefined): string {
  return [FAKE_AIDER_DIR, pathEnv ?? ""].filter(Boolean).join(path.delimiter);
}

/** Runs git in `cwd` (tests only). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A temp dir holding a git repo `repo/` (committed `files`) and a scratch dir `scratch/`, both real paths. */
export async function createTempRepo(
  files: Record<string, string>,
): Promise<{ root: string; repo: string; scratch: string }> {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), "weft-aider-test-")));
  const repo = path.join(root, "repo");
  const scratch = path.join(root, "scratch");
  await mkdir(repo);
  await mkdir(scratch);
  git(repo, "init", "-q", "-b", "main");
  git(repo, "config", "user.email", "test@example.invalid");
  git(repo, "config", "user.name", "test");
  git(repo, "config", "commit.gpgsign", "false");
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(repo, name)), { recursive: true });
    await writeFile(path.join(repo, name), content);
  }
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "initial");
  return { root, repo, scratch };
}

/** A v2 task definition for an `aider` task with defaults filled in. */
export function makeAiderTask(overrides: Record<string, unknown> = {}): TaskDefinition {
  return {
    schema_version: "2.0.0",
    task_id: "edit-math",
    workstream_id: "ws1",
    name: "Edit math",
    description: "Change add",
    type: "aider",
    status: "pending",
    dependencies: [],
    blocks: [],
    critical: true,
    worker_requirements: { capabilities: ["aider"] },
    execution: {
      command: "",
      working_directory: ".",
      timeout_seconds: 600,
      max_retries: 0,
      retry_delay_seconds: 10,
    },
    resource_requirements: {},
    context_requirements: {
      max_context_tokens: 8000,
      required_files: ["src/math.js"],
      optional_files: [],
      exclude_patterns: [],
    },
    validation_rules: { pre_execution: [], post_execution: [] },
    ...overrides,
  } as TaskDefinition;
}

/** A weft.config.json whose `aider` section lets FAKE_AIDER_SCENARIO through. */
export function makeConfig(aider: Record<string, unknown> = {}): WeftConfig {
  return WeftConfig.parse({ aider: { model: "gpt-4o", env_allowlist: ["FAKE_AIDER_SCENARIO"], ...aider } });
}

/** A TaskRunContext for one attempt in `worktree`; output collected into `logs`. */
export function makeContext(
  worktree: string,
  overrides: Partial<TaskRunContext> & { logs?: string[] } = {},
): TaskRunContext {
  const logs = overrides.logs ?? [];
  return {
    worktree,
    cwd: worktree,
    attempt: 1,
    signal: new AbortController().signal,
    timeoutMs: 30_000,
    killGraceMs: 300,
    env: {},
    log: (chunk) => logs.push(chunk),
    config: makeConfig(),
    now: () => new Date(),
    ...overrides,
  };
}

/** The runner's parent environment for tests: the real PATH with the fake first, a dummy key, the scenario. */
export function runnerEnv(
  scenarioFile: string,
  extra: Record<string, string> = {},
): Record<string, string | undefined> {
  return {
    PATH: pathWithFakeAider(process.env.PATH),
    OPENAI_API_KEY: "sk-test-not-a-real-key",
    FAKE_AIDER_SCENARIO: scenarioFile,
    ...extra,
  };
}
