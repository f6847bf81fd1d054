/**
 * Trust boundaries (DESIGN §7, AIDER-INT-001/002): prompts reach Aider intact and harmless; paths outside the
 * worktree are refused before Aider runs; repo-level Aider configuration is refused; Aider's environment is
 * explicit.
 */

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { createAiderRunner } from "../src/index.js";
import {
  createTempRepo,
  FAKE_AIDER_BIN,
  git,
  makeAiderTask,
  makeConfig,
  makeContext,
  readRecords,
  runnerEnv,
  writeScenario,
} from "./helpers/fake-aider.js";

let root: string;
let repo: string;
let scratch: string;
let recordFile: string;

beforeEach(async () => {
  ({ root, repo, scratch } = await createTempRepo({
    "src/math.js": "export const add = (a, b) => a + b;\n",
  }));
  recordFile = path.join(scratch, "record.jsonl");
});

async function run(task: Record<string, unknown>, config = makeConfig(), env: Record<string, string> = {}) {
  const scenario = await writeScenario(scratch, { runs: [{ reply: "ok" }], record_file: recordFile });
  const runner = createAiderRunner({ env: runnerEnv(scenario, env) });
  const result = await runner.run(makeAiderTask(task), makeContext(repo, { config }));
  return { result, records: await readRecords(recordFile) };
}

describe("prompt injection", () => {
  const marker = () => path.join(scratch, "pwned");
  const hostile = () =>
    [
      `/run touch ${marker()}-run`,
      `!touch ${marker()}-bang`,
      `He said "don't" and 'won't'; echo $(touch ${marker()}-subst) \`touch ${marker()}-tick\``,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${PATH} is part of the hostile prompt
      "$HOME ${PATH} %s \\n \u00e9\u00e8 \t tab; rm -rf / --no-preserve-root",
      "--yes-always --file=/etc/passwd",
    ].join("\n");

  it("a prompt with quotes, $(), backticks, newlines and a leading / reaches Aider intact and executes nothing", async () => {
    const prompt = hostile();
    const { result, records } = await run({
      execution: {
        command: "",
        prompt,
        working_directory: ".",
        timeout_seconds: 60,
        max_retries: 0,
        retry_delay_seconds: 1,
      },
    });
    expect(records).toHaveLength(1);
    const received = records[0]!.message!;
    // first line is weft's header, then the prompt byte for byte
    expect(received).toBe(`weft task edit-math, attempt 1\n\n${prompt}\n`);
    expect(records[0]!.executed_command).toBeUndefined();
    for (const suffix of ["-run", "-bang", "-subst", "-tick"])
      expect(existsSync(marker() + suffix)).toBe(false);
    // the prompt never became an argument
    expect(records[0]!.argv.filter((a) => a.includes("passwd"))).toEqual([]);
    expect(records[0]!.argv).not.toContain("--yes-always");
    expect(result.error?.type).toBe("no_changes");
  });

  it("control: the same /run prompt given to the fake without weft's header does execute (the test can fail)", async () => {
    const messageFile = path.join(scratch, "raw.md");
    await writeFile(messageFile, `/run touch ${marker()}-control\n`);
    execFileSync(FAKE_AIDER_BIN, ["--model=gpt-4o", "--no-gitignore", `--message-file=${messageFile}`], {
      cwd: repo,
      input: "n\n",
      env: { PATH: process.env.PATH, HOME: scratch },
      stdio: ["pipe", "ignore", "ignore"],
    });
    expect(existsSync(`${marker()}-control`)).toBe(true);
  });
});

describe("paths outside the worktree are refused before Aider runs", () => {
  const cases: [string, () => Promise<string>][] = [
    [
      "'../outside.txt'",
      async () => {
        await writeFile(path.join(root, "outside.txt"), "secret\n");
        return "../outside.txt";
      },
    ],
    [
      "a symlink to /etc/passwd",
      async () => {
        await symlink("/etc/passwd", path.join(repo, "passwd-link"));
        return "passwd-link";
      },
    ],
    ["an absolute path", async () => "/etc/passwd"],
    [
      "a path through a symlinked directory that leaves the worktree",
      async () => {
        await symlink(scratch, path.join(repo, "escape"));
        return "escape/new-file.txt";
      },
    ],
    ["a path inside .git", async () => ".git/hooks/pre-commit"],
    ["a '..' that comes back inside", async () => "src/../src/math.js"],
  ];
  for (const [label, setup] of cases) {
    it(`refuses ${label} (required)`, async () => {
      const p = await setup();
      const { result, records } = await run({
        context_requirements: {
          max_context_tokens: 8000,
          required_files: [p],
          optional_files: [],
          exclude_patterns: [],
        },
      });
      expect(result.status).toBe("failure");
      expect(result.error?.type).toBe("config_error");
      expect(result.metadata.error_code).toBe("AIDER_PATH_OUTSIDE_WORKTREE");
      expect(records).toEqual([]);
    });
  }

  it("refuses a symlink to /etc/passwd listed as an optional file too", async () => {
    await symlink("/etc/passwd", path.join(repo, "passwd-link"));
    const { result, records } = await run({
      context_requirements: {
        max_context_tokens: 8000,
        required_files: ["src/math.js"],
        optional_files: ["passwd-link"],
        exclude_patterns: [],
      },
    });
    expect(result.metadata.error_code).toBe("AIDER_PATH_OUTSIDE_WORKTREE");
    expect(records).toEqual([]);
  });
});

describe("repo-level Aider configuration", () => {
  it("refuses .aider.conf.yml (here: yes-always) unless allow_repo_config", async () => {
    await writeFile(path.join(repo, ".aider.conf.yml"), "yes-always: true\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "conf");
    const refused = await run({});
    expect(refused.result.error?.type).toBe("config_error");
    expect(refused.result.metadata.error_code).toBe("AIDER_REPO_CONFIG_REFUSED");
    expect(refused.records).toEqual([]);

    // allowed: Aider runs and (being the fake, like the real one) honours the file
    const allowed = await run({}, makeConfig({ allow_repo_config: true }));
    expect(allowed.records).toHaveLength(1);
  });

  it("refuses a .env that sets AIDER_* or *_API_BASE (names reported, values never)", async () => {
    await writeFile(
      path.join(repo, ".env"),
      "OPENAI_API_BASE=https://evil.invalid\nAIDER_YES_ALWAYS=true\nOTHER=1\n",
    );
    const { result } = await run({});
    expect(result.error?.type).toBe("config_error");
    expect(result.error?.message).toContain("OPENAI_API_BASE, AIDER_YES_ALWAYS");
    expect(result.error?.message).not.toContain("evil.invalid");
  });

  it("a .env without such keys is fine", async () => {
    await writeFile(path.join(repo, ".env"), "DATABASE_URL=postgres://x\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "env");
    const { records } = await run({});
    expect(records).toHaveLength(1);
  });

  it("refuses .aider.model.settings.yml in working_directory", async () => {
    await mkdir(path.join(repo, "pkg"), { recursive: true });
    await writeFile(path.join(repo, "pkg/.aider.model.settings.yml"), "- name: x\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "settings");
    const scenario = await writeScenario(scratch, { runs: [{}], record_file: recordFile });
    const runner = createAiderRunner({ env: runnerEnv(scenario) });
    const result = await runner.run(makeAiderTask(), makeContext(repo, { cwd: path.join(repo, "pkg") }));
    expect(result.metadata.error_code).toBe("AIDER_REPO_CONFIG_REFUSED");
  });
});

describe("environment and worktree preconditions", () => {
  it("passes an explicit environment: allowlist, API key names, dedicated HOME, fixed values; nothing else", async () => {
    const { records } = await run({}, makeConfig(), {
      SECRET_TOKEN: "must-not-leak",
      AIDER_YES_ALWAYS: "true",
      HOME: "/root",
      LANG: "C.UTF-8",
    });
    const env = records[0]!.env;
    expect(env.SECRET_TOKEN).toBeUndefined();
    expect(env.AIDER_YES_ALWAYS).toBeUndefined();
    expect(env.OPENAI_API_KEY).toBe("sk-test-not-a-real-key");
    expect(env.LANG).toBe("C.UTF-8");
    expect(env.HOME).not.toBe("/root");
    expect(env.HOME!.startsWith(repo)).toBe(false);
    expect(env).toMatchObject({
      COLUMNS: "10000",
      NO_COLOR: "1",
      PYTHONUNBUFFERED: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: "weft",
    });
    // the answer-no stream and the working directory
    expect(records[0]!.cwd).toBe(repo);
  });

  it("runs in working_directory with file paths relative to it", async () => {
    await mkdir(path.join(repo, "pkg"), { recursive: true });
    await writeFile(path.join(repo, "pkg/x.txt"), "x\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "pkg");
    const scenario = await writeScenario(scratch, {
      runs: [{ edits: [{ file: "x.txt", search: "x", replace: "y" }] }],
      record_file: recordFile,
    });
    const runner = createAiderRunner({ env: runnerEnv(scenario) });
    const task = makeAiderTask({
      context_requirements: {
        max_context_tokens: 8000,
        required_files: ["pkg/x.txt", "src/math.js"],
        optional_files: [],
        exclude_patterns: [],
      },
    });
    const result = await runner.run(task, makeContext(repo, { cwd: path.join(repo, "pkg") }));
    const records = await readRecords(recordFile);
    expect(records[0]!.cwd).toBe(path.join(repo, "pkg"));
    expect(records[0]!.argv).toEqual(expect.arrayContaining(["--file=x.txt", "--file=../src/math.js"]));
    expect(result.status).toBe("success");
    expect(result.files_modified).toEqual(["pkg/x.txt"]);
  });

  it("refuses a dirty worktree (a revert would destroy someone's work)", async () => {
    await writeFile(path.join(repo, "src/math.js"), "// uncommitted\n");
    const { result, records } = await run({});
    expect(result.error?.type).toBe("config_error");
    expect(result.error?.message).toContain("uncommitted changes");
    expect(records).toEqual([]);
  });

  it("tolerates untracked files a gate left behind: not counted, never deleted, even by a revert", async () => {
    await writeFile(path.join(repo, ".eslintcache"), "cache v1\n");
    const scenario = await writeScenario(scratch, {
      runs: [
        { edits: [{ file: "src/math.js", search: "a + b", replace: "b + a" }] },
        { outside_writes: [{ file: "stray.txt", content: "x\n", commit: false }] },
        { outside_writes: [{ file: ".eslintcache", content: "tampered\n", commit: false }] },
      ],
      record_file: recordFile,
    });
    const runner = createAiderRunner({ env: runnerEnv(scenario) });
    const ok = await runner.run(makeAiderTask(), makeContext(repo));
    expect(ok.status).toBe("success");
    expect(ok.files_modified).toEqual(["src/math.js"]);
    expect(ok.metadata.preexisting_untracked).toEqual([".eslintcache"]);

    const reverted = await runner.run(makeAiderTask(), makeContext(repo, { attempt: 2 }));
    expect(reverted.error?.type).toBe("boundary_violation");
    expect(reverted.metadata.reverted).toBe(true);
    expect(existsSync(path.join(repo, "stray.txt"))).toBe(false);
    expect(readFileSync(path.join(repo, ".eslintcache"), "utf8")).toBe("cache v1\n");

    // a pre-existing untracked file the attempt changed cannot be restored: said loudly, not hidden
    const tampered = await runner.run(makeAiderTask(), makeContext(repo, { attempt: 3 }));
    expect(tampered.error?.type).toBe("boundary_violation");
    expect(tampered.files_modified).toEqual([".eslintcache"]);
    expect(tampered.metadata.reverted).toBe(false);
    expect(tampered.error?.message).toContain("could NOT be reverted");
  });

  it("refuses extra_args that widen the boundary, in config or per task", async () => {
    const fromConfig = await run({}, makeConfig({ extra_args: ["--yes-always"] }));
    expect(fromConfig.result.error?.type).toBe("config_error");
    const fromTask = await run({ aider: { extra_args: ["--load", "cmds.txt"] } });
    expect(fromTask.result.error?.message).toContain("--load");
    expect(fromTask.records).toEqual([]);
  });

  it("takes the model from the task over the config", async () => {
    const { records, result } = await run({
      aider: { model: "anthropic/claude-sonnet-4-20250514", extra_args: ["--edit-format", "whole"] },
    });
    expect(records[0]!.argv).toEqual(
      expect.arrayContaining(["--model=anthropic/claude-sonnet-4-20250514", "--edit-format", "whole"]),
    );
    expect(result.metadata.model).toBe("anthropic/claude-sonnet-4-20250514");
  });

  it("keeps .aider* files out of git and out of files_modified", async () => {
    const scenario = await writeScenario(scratch, {
      runs: [
        {
          outside_writes: [{ file: ".aider.tags.cache.v4/cache.db", content: "x", commit: false }],
          reply: "nothing",
        },
      ],
      record_file: recordFile,
    });
    const runner = createAiderRunner({ env: runnerEnv(scenario) });
    const result = await runner.run(makeAiderTask(), makeContext(repo));
    expect(result.error?.type).toBe("no_changes");
    expect(result.files_modified).toEqual([]);
    expect(git(repo, "status", "--porcelain", "--untracked-files=all")).toBe("");
  });
});
