/**
 * AIDER-INT-003: one test per classification outcome, through the fake `aider` in a real git repo, checking the
 * result contract and the worktree afterwards (reverted where it must be).
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { AttemptResult } from "@weft/core-schema";
import { beforeEach, describe, expect, it } from "vitest";
import { createAiderRunner } from "../src/index.js";
import {
  createTempRepo,
  type FakeAiderRun,
  git,
  makeAiderTask,
  makeConfig,
  makeContext,
  readRecords,
  runnerEnv,
  writeScenario,
} from "./helpers/fake-aider.js";

const FILES = {
  "src/math.js": "export const add = (a, b) => a + b;\n",
  "src/util.js": "export const id = (x) => x;\n",
  "README.md": "# demo\n",
};

let repo: string;
let scratch: string;
let pre: string;
let recordFile: string;

beforeEach(async () => {
  ({ repo, scratch } = await createTempRepo(FILES));
  pre = git(repo, "rev-parse", "HEAD");
  recordFile = path.join(scratch, "record.jsonl");
});

async function runWith(
  runs: FakeAiderRun[],
  opts: { task?: Record<string, unknown>; ctx?: Record<string, unknown> } = {},
) {
  const scenario = await writeScenario(scratch, { runs, record_file: recordFile });
  const runner = createAiderRunner({ env: runnerEnv(scenario) });
  const logs: string[] = [];
  const result = await runner.run(makeAiderTask(opts.task), makeContext(repo, { logs, ...opts.ctx }));
  // Every result satisfies the AIDER-INT-003 schema.
  expect(AttemptResult.safeParse(result).success).toBe(true);
  return { result, logs: logs.join(""), records: await readRecords(recordFile) };
}

function expectAtPre() {
  expect(git(repo, "rev-parse", "HEAD")).toBe(pre);
  expect(git(repo, "status", "--porcelain", "--untracked-files=all")).toBe("");
}

describe("classification through the fake aider", () => {
  it("success: edits within the allowed files are kept, facts come from git, usage from the analytics log", async () => {
    const { result, records } = await runWith([
      {
        edits: [{ file: "src/math.js", search: "a + b", replace: "a + b + 0" }],
        commit_message: "feat: pad add",
        tokens: { sent: 2345, received: 145, cost: 0.0091 },
      },
    ]);
    expect(result.status).toBe("success");
    expect(result.error).toBeNull();
    expect(result.files_modified).toEqual(["src/math.js"]);
    expect(result.diff_summary).toBe("1 file changed, 1 insertion(+), 1 deletion(-)");
    expect(result.commit_message).toBe("feat: pad add");
    expect(result.validation_status).toBe("pending");
    // exact integers from the analytics log, not the abbreviated "2.3k" of the Tokens: line
    expect(result.metadata.tokens_used).toBe(2345 + 145);
    expect(result.metadata.cost_usd).toBe(0.0091);
    expect(result.metadata.usage_source).toBe("analytics_log");
    expect(result.metadata.model).toBe("gpt-4o");
    expect(result.metadata.aider_version).toBe("0.86.2");
    expect(result.metadata.exit_code).toBe(0);
    expect(result.metadata.pre_commit).toBe(pre);
    expect(result.metadata.context).toMatchObject({ editable: [{ path: "src/math.js", exists: true }] });
    // the worktree keeps Aider's commit, with its trailer
    expect(git(repo, "rev-parse", "HEAD")).not.toBe(pre);
    expect(git(repo, "log", "-1", "--format=%B")).toContain(
      "Co-authored-by: aider (gpt-4o) <aider@aider.chat>",
    );
    expect(readFileSync(path.join(repo, "src/math.js"), "utf8")).toContain("a + b + 0");
    expect(git(repo, "status", "--porcelain", "--untracked-files=all")).toBe("");
    // the fake saw exactly the boundary the adapter promises
    const argv = records[0]!.argv;
    expect(argv).toContain("--file=src/math.js");
    expect(argv).not.toContain("--yes-always");
    expect(argv).toContain("--no-fancy-input");
    expect(argv.some((a) => a.startsWith("--message-file="))).toBe(true);
  });

  it("no_changes: a reply without edits", async () => {
    const { result } = await runWith([{ reply: "The code already does that." }]);
    expect(result.status).toBe("failure");
    expect(result.error).toMatchObject({ type: "no_changes" });
    expect(result.files_modified).toEqual([]);
    expectAtPre();
  });

  it("insufficient_context: the reply asks for a file to be added (Aider cannot see it through the allowlist)", async () => {
    const { result, records } = await runWith([
      { reply: "To change this I need to see `src/util.js`. Please add src/util.js to the chat." },
    ]);
    expect(result.error).toMatchObject({ type: "insufficient_context", requested_files: ["src/util.js"] });
    // the allowlist hid util.js, so Aider did not even offer to add it
    expect(records[0]!.answers).toEqual([]);
    expectAtPre();
  });

  it("insufficient_context: an edit to a file it was not given is declined ('n') and the run is reverted", async () => {
    const { result, records } = await runWith([
      {
        edits: [
          { file: "src/math.js", search: "a + b", replace: "a - b" },
          { file: "README.md", search: "# demo", replace: "# changed" },
        ],
      },
    ]);
    expect(records[0]!.answers).toEqual([
      {
        question: "Allow edits to file that has not been added to the chat?",
        subject: "README.md",
        answer: "n",
      },
    ]);
    expect(result.status).toBe("failure");
    expect(result.error).toMatchObject({ type: "insufficient_context", requested_files: ["README.md"] });
    // Aider committed its math.js edit; weft reverted it
    expect(result.files_modified).toEqual(["src/math.js"]);
    expect(result.metadata.reverted).toBe(true);
    expectAtPre();
    expect(readFileSync(path.join(repo, "src/math.js"), "utf8")).toBe(FILES["src/math.js"]);
    expect(readFileSync(path.join(repo, "README.md"), "utf8")).toBe(FILES["README.md"]);
  });

  it("insufficient_context: a new file Aider wanted to create is declined", async () => {
    const { result, records } = await runWith([{ edits: [{ file: "src/new.js", content: "export {};\n" }] }]);
    expect(records[0]!.answers.map((a) => a.question)).toEqual(["Create new file?"]);
    expect(result.error).toMatchObject({ type: "insufficient_context", requested_files: ["src/new.js"] });
    expect(existsSync(path.join(repo, "src/new.js"))).toBe(false);
    expectAtPre();
  });

  it("boundary_violation: a committed change outside the allowed files is reverted", async () => {
    const { result } = await runWith([
      {
        edits: [{ file: "src/math.js", search: "a + b", replace: "a * b" }],
        outside_writes: [
          { file: "src/util.js", content: "hacked\n" },
          { file: "evil/new.txt", content: "x\n" },
        ],
      },
    ]);
    expect(result.error?.type).toBe("boundary_violation");
    expect(result.error?.message).toContain("src/util.js");
    expect(result.files_modified).toEqual(["evil/new.txt", "src/math.js", "src/util.js"]);
    expect(result.metadata.reverted).toBe(true);
    expectAtPre();
    expect(readFileSync(path.join(repo, "src/util.js"), "utf8")).toBe(FILES["src/util.js"]);
    expect(existsSync(path.join(repo, "evil/new.txt"))).toBe(false);
  });

  it("boundary_violation: an uncommitted, untracked file outside the allowed files is removed", async () => {
    await writeFile(path.join(scratch, "keep.txt"), "outside the repo: never touched\n");
    const { result } = await runWith([
      { outside_writes: [{ file: "stray.txt", content: "x\n", commit: false }] },
    ]);
    expect(result.error?.type).toBe("boundary_violation");
    expect(result.files_modified).toEqual(["stray.txt"]);
    expectAtPre();
    expect(existsSync(path.join(repo, "stray.txt"))).toBe(false);
    expect(existsSync(path.join(scratch, "keep.txt"))).toBe(true);
  });

  it("edit_format_error: SEARCH blocks that never match, three reflections, no changes", async () => {
    const { result } = await runWith([
      { edits: [{ file: "src/math.js", search: "no such line", replace: "x" }] },
    ]);
    expect(result.error).toMatchObject({ type: "edit_format_error" });
    // 1 call + 3 reflections, all counted from the analytics log
    expect(result.metadata.model_calls).toBe(4);
    expect(result.metadata.tokens_used).toBeGreaterThan(0);
    expectAtPre();
  });

  it("rate_limit: Aider exits 0 after giving up on retries; the exit code is not trusted", async () => {
    const { result } = await runWith([{ rate_limit: true, retries: 3 }]);
    expect(result.metadata.exit_code).toBe(0);
    expect(result.error?.type).toBe("rate_limit");
    expect(result.error?.message).toMatch(/^litellm\.RateLimitError/);
    expectAtPre();
  });

  it("auth_error", async () => {
    const { result } = await runWith([{ auth_error: true }]);
    expect(result.error?.type).toBe("auth_error");
    expectAtPre();
  });

  it("api_error: servers down or overloaded", async () => {
    const { result } = await runWith([{ api_error: true, retries: 2 }]);
    expect(result.error?.type).toBe("api_error");
    expectAtPre();
  });

  it("context_window_exceeded: Aider's 'Try to proceed anyway?' is answered no", async () => {
    const { result, records } = await runWith([{ context_window: true }]);
    expect(result.error?.type).toBe("context_window_exceeded");
    expect(records[0]!.answers).toEqual([{ question: "Try to proceed anyway?", answer: "n" }]);
    expectAtPre();
  });

  it("process_error: a crash with exit 1", async () => {
    const { result } = await runWith([{ crash: true, crash_message: "kaboom" }]);
    expect(result.error?.type).toBe("process_error");
    expect(result.error?.message).toContain("exited with code 1");
    expect(result.error?.message).toContain("RuntimeError: kaboom");
    expect(result.metadata.exit_code).toBe(1);
    expectAtPre();
  });

  it("process_error: no aider executable", async () => {
    const scenario = await writeScenario(scratch, { runs: [{}] });
    const runner = createAiderRunner({ env: runnerEnv(scenario) });
    const ctx = makeContext(repo, { config: makeConfig({ binary: path.join(scratch, "no-such-aider") }) });
    const result = await runner.run(makeAiderTask(), ctx);
    expect(result.error?.type).toBe("process_error");
    expect(result.error?.message).toMatch(/could not start.*ENOENT/s);
  });

  it("timeout: a hang that ignores SIGTERM, with a child, is killed as a group (SIGTERM, then SIGKILL)", async () => {
    const pidFile = path.join(scratch, "pids.json");
    const t0 = Date.now();
    const { result } = await runWith([{ hang: true, pid_file: pidFile }], {
      ctx: { timeoutMs: 1500, killGraceMs: 300 },
    });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(result.error?.type).toBe("timeout");
    expect(result.metadata.exit_signal).toBe("SIGKILL");
    const pids = JSON.parse(readFileSync(pidFile, "utf8")) as { aider: number; child: number };
    for (const pid of [pids.aider, pids.child]) expect(isAlive(pid)).toBe(false);
    expectAtPre();
  });

  it("cancelled: aborting the signal stops the group", async () => {
    const pidFile = path.join(scratch, "pids.json");
    const controller = new AbortController();
    const pending = runWith([{ hang: true, pid_file: pidFile }], { ctx: { signal: controller.signal } });
    await waitFor(() => existsSync(pidFile));
    controller.abort();
    const { result } = await pending;
    expect(result.error?.type).toBe("cancelled");
    const pids = JSON.parse(readFileSync(pidFile, "utf8")) as { aider: number; child: number };
    for (const pid of [pids.aider, pids.child]) expect(isAlive(pid)).toBe(false);
  });

  it("config_error: Aider announces other files than weft passed", async () => {
    const { result } = await runWith([
      { announce_skip: ["src/math.js"], edits: [{ file: "src/math.js", search: "a + b", replace: "b + a" }] },
    ]);
    expect(result.error?.type).toBe("config_error");
    expect(result.error?.message).toContain("announced other files");
    expectAtPre();
  });

  it("context_overflow: required files over max_context_tokens fail before Aider runs", async () => {
    await writeFile(path.join(repo, "src/big.js"), "export const x = 1;\n".repeat(400));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "big");
    const { result, records } = await runWith([{}], {
      task: {
        context_requirements: {
          max_context_tokens: 500,
          required_files: ["src/big.js"],
          optional_files: [],
          exclude_patterns: [],
        },
      },
    });
    expect(result.error?.type).toBe("context_overflow");
    expect(result.metadata.error_code).toBe("AIDER_CONTEXT_OVERFLOW");
    expect(records).toEqual([]); // Aider never ran
  });
});

/** Alive and not a zombie (a killed process may wait a while for init to reap it). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  return state !== "Z" && state !== "X";
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
