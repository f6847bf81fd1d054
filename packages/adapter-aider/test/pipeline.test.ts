/**
 * PIPELINE through the runner: EDIT (aider, the fake) → RUNTIME gate (real `node --test`) fails → an AI fix
 * attempt whose prompt carries the gate output → the gate passes. The loop below is the reference the engine
 * follows: up to `fix_attempts` fixes, each a new attempt with `ctx.fix`, stopping early on identical failures.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { AttemptResult, TaskRunner } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import { createAiderRunner, shouldStopFixing } from "../src/index.js";
import {
  createTempRepo,
  type FakeAiderRun,
  git,
  makeAiderTask,
  makeContext,
  readRecords,
  runnerEnv,
  writeScenario,
} from "./helpers/fake-aider.js";

const FILES = {
  "package.json": '{ "type": "module" }\n',
  "src/math.js": "export const add = (a, b) => a + b;\n",
  "test/math.test.js":
    'import test from "node:test";\nimport assert from "node:assert/strict";\nimport { add } from "../src/math.js";\n' +
    'test("add", () => { assert.equal(add(2, 3), 5); });\n',
};

/** The `tests_passing` gate: a real command in the worktree. */
function runGate(cwd: string): { passed: boolean; output: string } {
  try {
    const output = execFileSync(process.execPath, ["--test"], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { passed: true, output };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { passed: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** The engine's PIPELINE loop in miniature (see README "PIPELINE"). */
async function runPipeline(runner: TaskRunner, repo: string, fixAttempts: number) {
  const task = makeAiderTask({
    execution: {
      command: "",
      prompt: "Make add handle big numbers",
      working_directory: ".",
      timeout_seconds: 60,
      max_retries: 0,
      retry_delay_seconds: 1,
    },
  });
  const attempts: AttemptResult[] = [await runner.run(task, makeContext(repo, { attempt: 1 }))];
  const failures: string[] = [];
  for (let fix = 1; ; fix++) {
    const gate = runGate(repo);
    if (gate.passed) return { attempts, failures, outcome: "completed" as const };
    failures.push(gate.output);
    if (fix > fixAttempts)
      return { attempts, failures, outcome: "failed" as const, reason: "no fix attempt left" };
    if (shouldStopFixing(failures))
      return { attempts, failures, outcome: "failed" as const, reason: "identical failure" };
    const ctx = makeContext(repo, {
      attempt: fix + 1,
      fix: { gate: "tests_passing", output: gate.output, fixAttempt: fix },
    });
    attempts.push(await runner.run(task, ctx));
  }
}

async function setup(runs: FakeAiderRun[]) {
  const { repo, scratch } = await createTempRepo(FILES);
  const recordFile = path.join(scratch, "record.jsonl");
  const scenario = await writeScenario(scratch, { runs, record_file: recordFile });
  return { repo, recordFile, runner: createAiderRunner({ env: runnerEnv(scenario) }) };
}

describe("PIPELINE fix attempts", () => {
  it("the first edit breaks a test, the fix attempt carries the failing output and repairs it", async () => {
    const { repo, recordFile, runner } = await setup([
      {
        edits: [{ file: "src/math.js", search: "a + b", replace: "a - b" }],
        commit_message: "feat: rework add",
        tokens: { sent: 1800, received: 90, cost: 0.0054 },
      },
      {
        edits: [{ file: "src/math.js", search: "a - b", replace: "a + b" }],
        commit_message: "fix: add adds again",
        tokens: { sent: 2600, received: 70, cost: 0.0072 },
      },
    ]);
    const outcome = await runPipeline(runner, repo, 2);
    expect(outcome.outcome).toBe("completed");
    expect(outcome.attempts.map((a) => a.status)).toEqual(["success", "success"]);
    expect(outcome.attempts.map((a) => a.metadata.tokens_used)).toEqual([1890, 2670]);
    expect(outcome.attempts.map((a) => a.metadata.cost_usd)).toEqual([0.0054, 0.0072]);
    expect(outcome.attempts[1]!.metadata.fix).toMatchObject({ gate: "tests_passing", fix_attempt: 1 });
    expect(outcome.attempts[1]!.commit_message).toBe("fix: add adds again");

    const records = await readRecords(recordFile);
    expect(records).toHaveLength(2);
    const fixMessage = records[1]!.message!;
    expect(fixMessage.split("\n")[0]).toBe("weft task edit-math, attempt 2, fix for tests_passing");
    expect(fixMessage).toContain("fails the `tests_passing` check");
    expect(fixMessage).toContain("-1 !== 5"); // the gate's failure, carried to Aider
    expect(fixMessage).toContain("Make add handle big numbers"); // and the original task
    expect(readFileSync(path.join(repo, "src/math.js"), "utf8")).toBe(FILES["src/math.js"]);
    expect(git(repo, "log", "--format=%s", "-3")).toBe("fix: add adds again\nfeat: rework add\ninitial");
  });

  it("repeated identical failures stop early, before fix_attempts is used up", async () => {
    const { repo, recordFile, runner } = await setup([
      { edits: [{ file: "src/math.js", search: "a + b", replace: "a - b" }] },
      { edits: [{ file: "src/math.js", search: "a - b", replace: "(a - b)" }] }, // a "fix" that changes nothing real
      { edits: [{ file: "src/math.js", search: "(a - b)", replace: "a + b" }] }, // never reached
    ]);
    const outcome = await runPipeline(runner, repo, 5);
    expect(outcome).toMatchObject({ outcome: "failed", reason: "identical failure" });
    expect(outcome.attempts).toHaveLength(2);
    expect(await readRecords(recordFile)).toHaveLength(2);
  });

  it("fix attempts are bounded by fix_attempts", async () => {
    const { repo, runner } = await setup([
      { edits: [{ file: "src/math.js", search: "a + b", replace: "a - b" }] },
      { edits: [{ file: "src/math.js", search: "a - b", replace: "a * b" }] },
      { edits: [{ file: "src/math.js", search: "a * b", replace: "a / b" }] },
    ]);
    const outcome = await runPipeline(runner, repo, 1);
    expect(outcome).toMatchObject({ outcome: "failed", reason: "no fix attempt left" });
    expect(outcome.attempts).toHaveLength(2);
  });
});
