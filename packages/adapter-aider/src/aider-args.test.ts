import { describe, expect, it } from "vitest";
import {
  BOUNDARY_FLAGS,
  buildAiderArgs,
  buildAiderignore,
  buildMessageText,
  checkExtraArgs,
} from "./aider-args.js";

const base = {
  messageFile: "/run/msg.md",
  editableFiles: ["src/a.py", "-dash.py"],
  readOnlyFiles: ["docs/b.md"],
  aiderignoreFile: "/run/ignore",
  analyticsLogFile: "/run/a.jsonl",
  chatHistoryFile: "/run/chat.md",
  inputHistoryFile: "/run/input",
};

describe("buildAiderArgs (AIDER-INT-001)", () => {
  it("passes the boundary flags, files with '=', and the message file last; never --yes-always", () => {
    const args = buildAiderArgs({ ...base, model: "gpt-4o", extraArgs: ["--edit-format", "whole"] });
    expect(args.slice(0, BOUNDARY_FLAGS.length)).toEqual(BOUNDARY_FLAGS);
    expect(args).toEqual(
      expect.arrayContaining([
        "--map-tokens=0",
        "--no-fancy-input",
        "--no-analytics",
        "--aiderignore=/run/ignore",
        "--analytics-log=/run/a.jsonl",
        "--model=gpt-4o",
        "--file=src/a.py",
        "--file=-dash.py",
        "--read=docs/b.md",
      ]),
    );
    expect(args.at(-1)).toBe("--message-file=/run/msg.md");
    expect(args.indexOf("--edit-format")).toBeLessThan(args.indexOf("--file=src/a.py"));
    expect(args.some((a) => /^--yes/.test(a))).toBe(false);
  });

  it("omits --model when none is configured", () => {
    expect(buildAiderArgs(base).some((a) => a.startsWith("--model"))).toBe(false);
  });
});

describe("checkExtraArgs", () => {
  it("accepts model tuning options in both forms", () => {
    expect(checkExtraArgs(["--edit-format", "diff", "--timeout=30", "--no-show-model-warnings"])).toEqual([]);
  });
  it("refuses options that widen the boundary, positionals, and bad arity", () => {
    for (const bad of [
      ["--yes-always"],
      ["--file", "x"],
      ["--message=hi"],
      ["--load", "f"],
      ["--auto-test"],
      ["x.py"],
      ["-m", "x"],
    ]) {
      expect(checkExtraArgs(bad).length).toBeGreaterThan(0);
    }
    expect(checkExtraArgs(["--model"])).toEqual(["'--model' needs a value"]);
    expect(checkExtraArgs(["--architect=1"])).toEqual(["'--architect' takes no value"]);
  });
});

describe("buildAiderignore", () => {
  it("ignores everything, then re-includes each passed file anchored and escaped", () => {
    expect(buildAiderignore(["src/a.py", "we*ird [1]!.txt", "#x "]).split("\n").slice(1)).toEqual([
      "*",
      "!/src/a.py",
      "!/we\\*ird \\[1\\]\\!.txt",
      "!/\\#x\\ ",
      "",
    ]);
  });
});

describe("buildMessageText", () => {
  it("puts a header first so the prompt never starts with / or !", () => {
    expect(buildMessageText("weft task t1, attempt 1", "/run rm -rf /")).toBe(
      "weft task t1, attempt 1\n\n/run rm -rf /\n",
    );
  });
  it("neutralises a header that itself starts with / or holds a newline", () => {
    expect(buildMessageText("/x\ny", "p").startsWith("weft: /x y\n")).toBe(true);
  });
});
