/**
 * The fake `aider` keeps the CLI surface of AIDER.md, including the traps the adapter avoids: EOF on stdin
 * answers "yes", SIGINT does not stop it, repo config widens it, a missing message starts the interactive loop.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import { createTempRepo, FAKE_AIDER_BIN, git, readRecords, writeScenario } from "./helpers/fake-aider.js";

let repo: string;
let scratch: string;
beforeEach(async () => {
  ({ repo, scratch } = await createTempRepo({ "a.txt": "alpha\n", "b.txt": "beta\n" }));
});

function fake(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(FAKE_AIDER_BIN, args, {
    cwd: repo,
    input: opts.input ?? "",
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: scratch, OPENAI_API_KEY: "sk-x", ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("fake aider CLI surface", () => {
  it("answers --version like aider and rejects unknown or incomplete flags with argparse's exit 2", () => {
    expect(fake(["--version"])).toMatchObject({ code: 0, stdout: "aider 0.86.2\n" });
    const bad = fake(["--no-such-flag", "--message", "x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^usage: aider .*\naider: error: unrecognized arguments: --no-such-flag\n$/s);
    expect(fake(["--model"]).stderr).toContain("aider: error: argument --model: expected one argument");
  });

  it("EOF on stdin takes each prompt's default 'yes' (why weft feeds an endless 'n' stream)", async () => {
    const scenario = await writeScenario(scratch, {
      runs: [{ edits: [{ file: "b.txt", search: "beta", replace: "BETA" }] }],
    });
    const eof = fake(["--no-gitignore", "--file=a.txt", "--message=go"], {
      env: { FAKE_AIDER_SCENARIO: scenario },
    });
    // b.txt is mentioned in the reply and visible (no allowlist): offered, accepted by EOF, then edited
    expect(eof.stdout).toContain(
      "b.txt\nAdd file to the chat? (Y)es/(N)o/(D)on't ask again [Yes]: Added b.txt to the chat\n",
    );
    expect(eof.stdout).toContain("Applied edit to b.txt");
    expect(readFileSync(path.join(repo, "b.txt"), "utf8")).toBe("BETA\n");
    expect(git(repo, "log", "-1", "--format=%B")).toContain(
      "Co-authored-by: aider (gpt-4o) <aider@aider.chat>",
    );
  });

  it("honours a repo's .aider.conf.yml yes-always (why weft refuses such worktrees)", async () => {
    await writeFile(path.join(repo, ".aider.conf.yml"), "yes-always: true\n");
    const scenario = await writeScenario(scratch, {
      runs: [{ edits: [{ file: "b.txt", search: "beta", replace: "B" }] }],
    });
    const r = fake(["--no-gitignore", "--file=a.txt", "--message=go"], {
      input: "n\n".repeat(50),
      env: { FAKE_AIDER_SCENARIO: scenario },
    });
    expect(r.stdout).toContain("Applied edit to b.txt");
  });

  it("prints the startup lines, Tokens/Cost lines and writes the analytics log and chat history", async () => {
    const scenario = await writeScenario(scratch, {
      runs: [
        {
          edits: [{ file: "a.txt", search: "alpha", replace: "ALPHA" }],
          tokens: { sent: 2345, received: 145, cost: 0.0091 },
        },
      ],
    });
    const log = path.join(scratch, "a.jsonl");
    const chat = path.join(scratch, "chat.md");
    const r = fake(
      [
        "--no-gitignore",
        "--map-tokens=0",
        "--file=a.txt",
        "--read=b.txt",
        `--analytics-log=${log}`,
        `--chat-history-file=${chat}`,
        "--no-analytics",
        "-m",
        "go",
      ],
      {
        env: { FAKE_AIDER_SCENARIO: scenario },
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(0, 7)).toEqual([
      "Aider v0.86.2",
      "Main model: gpt-4o with diff edit format",
      "Weak model: gpt-4o-mini",
      "Git repo: .git with 2 files",
      "Repo-map: disabled because map_tokens == 0",
      "Added a.txt to the chat.",
      "Added b.txt to the chat (read-only).",
    ]);
    expect(r.stdout).toContain("Tokens: 2.3k sent, 145 received. Cost: $0.0091 message, $0.0091 session.");
    expect(r.stdout).toMatch(/^Commit [0-9a-f]{7} feat: Apply requested changes$/m);
    const events = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.event)).toEqual(["launched", "cli session", "message_send", "exit"]);
    expect(events[2].properties).toMatchObject({
      prompt_tokens: 2345,
      completion_tokens: 145,
      total_tokens: 2490,
      cost: 0.0091,
      main_model: "gpt-4o",
    });
    expect(readFileSync(chat, "utf8")).toContain("#### go");
  });

  it("with no message, sends every stdin line to the model (why the prompt is never empty)", async () => {
    const scenario = await writeScenario(scratch, {
      runs: [{}],
      record_file: path.join(scratch, "rec.jsonl"),
    });
    fake(["--no-gitignore"], { input: "n\nn\nrm -rf everything\n", env: { FAKE_AIDER_SCENARIO: scenario } });
    const [rec] = await readRecords(path.join(scratch, "rec.jsonl"));
    expect((rec as unknown as { interactive_inputs: string[] }).interactive_inputs).toEqual([
      "n",
      "n",
      "rm -rf everything",
    ]);
  });

  it("keeps going on SIGINT (why weft stops it with SIGTERM/SIGKILL on the group)", async () => {
    const pidFile = path.join(scratch, "pids.json");
    const scenario = await writeScenario(scratch, { runs: [{ hang: true, pid_file: pidFile }] });
    const child = spawn(FAKE_AIDER_BIN, ["--no-gitignore", "--message=go"], {
      cwd: repo,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: scratch,
        OPENAI_API_KEY: "x",
        FAKE_AIDER_SCENARIO: scenario,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (_c, s) => resolve(s === null ? _c : 128)),
    );
    for (let i = 0; i < 200 && !out.includes("Thinking"); i++) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    expect(out).toContain("^C again to exit");
    child.kill("SIGKILL");
    await exited;
    const pids = JSON.parse(readFileSync(pidFile, "utf8")) as { child: number };
    process.kill(pids.child, "SIGKILL");
  });

  it("has no default model without API keys and exits 1", async () => {
    const r = spawnSync(FAKE_AIDER_BIN, ["--no-gitignore", "--message=go"], {
      cwd: repo,
      input: "n\n",
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: scratch },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("No LLM model was specified and no API keys were provided.");
  });

  it("is a Node executable (shebang, exec bit) usable as `aider` on PATH", async () => {
    const { stdout } = await promisify(execFile)("aider", ["--version"], {
      env: { PATH: `${path.dirname(FAKE_AIDER_BIN)}${path.delimiter}${process.env.PATH ?? ""}` },
    });
    expect(stdout).toBe("aider 0.86.2\n");
  });
});
