import { describe, expect, it } from "vitest";
import { type ClassifyInput, classifyOutput, findRequestedPaths } from "./classify-output.js";
import { parseAiderOutput } from "./parse-aider-output.js";

const START =
  "Aider v0.86.2\nMain model: gpt-4o with diff edit format\nGit repo: .git with 2 files\nAdded src/a.py to the chat.\n\n";

function classify(body: string, over: Partial<ClassifyInput> = {}) {
  const output = START + body;
  return classifyOutput({
    stopReason: null,
    exitCode: 0,
    spawnError: null,
    output,
    parsed: parseAiderOutput(output),
    passedEditable: ["src/a.py"],
    passedReadOnly: [],
    changedFiles: [],
    ...over,
  });
}

const RATE =
  "litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached\nThe API provider has rate limited you. Try again later or check your quotas.\n";

describe("classifyOutput: first match wins (AIDER.md)", () => {
  it("timeout and cancellation come first, whatever else happened", () => {
    expect(classify(RATE, { stopReason: "timeout", exitCode: null, changedFiles: ["x"] }).outcome).toBe(
      "timeout",
    );
    expect(classify("", { stopReason: "idle_timeout" }).outcome).toBe("timeout");
    expect(classify("", { stopReason: "cancelled" }).outcome).toBe("cancelled");
  });
  it("a non-zero exit is a process_error even with changes", () => {
    expect(classify("Applied edit to src/a.py\n", { exitCode: 1, changedFiles: ["src/a.py"] }).outcome).toBe(
      "process_error",
    );
    expect(classify("", { exitCode: null, spawnError: "spawn aider ENOENT" }).outcome).toBe("process_error");
    expect(classify("", { exitCode: null, signal: "SIGKILL" }).message).toMatch(
      /^Aider was killed by SIGKILL/,
    );
  });
  it("announced files differing from passed ones, or no git repo, is a config_error", () => {
    expect(classify("", { passedEditable: ["src/a.py", "src/b.py"] }).outcome).toBe("config_error");
    expect(classify("", { passedReadOnly: ["docs/x.md"] }).outcome).toBe("config_error");
    expect(
      classifyOutput({
        stopReason: null,
        exitCode: 0,
        spawnError: null,
        output: "Git repo: none\n",
        parsed: parseAiderOutput("Git repo: none\n"),
        passedEditable: [],
        passedReadOnly: [],
        changedFiles: [],
      }).outcome,
    ).toBe("config_error");
  });
  it("changes outside the editable files beat everything after them", () => {
    const r = classify(
      `README.md\nAllow edits to file that has not been added to the chat? (Y)es/(N)o [Yes]: Skipping edits to README.md\n${RATE}`,
      {
        changedFiles: ["src/a.py", "docs/x.md"],
      },
    );
    expect(r).toMatchObject({ outcome: "boundary_violation" });
    expect(r.message).toContain("docs/x.md");
  });
  it("a file prompt or a skipped edit is insufficient_context with the requested paths", () => {
    const r = classify(
      "README.md\nAllow edits to file that has not been added to the chat? (Y)es/(N)o [Yes]: Skipping edits to README.md\n",
      {
        changedFiles: ["src/a.py"],
      },
    );
    expect(r).toEqual({
      outcome: "insufficient_context",
      message: expect.any(String),
      requestedFiles: ["README.md"],
    });
  });
  it("a reply asking for files, with no changes, is insufficient_context; with changes it is not", () => {
    const body =
      "I need to see `src/util.py` and lib/io.py before I can do this. Please add them to the chat.\n";
    expect(classify(body)).toMatchObject({
      outcome: "insufficient_context",
      requestedFiles: ["src/util.py", "lib/io.py"],
    });
    expect(classify(body, { changedFiles: ["src/a.py"] }).outcome).toBe("success");
  });
  it("API errors: rate limit, quota (auth_error: waiting does not help), auth, others", () => {
    expect(classify(RATE).outcome).toBe("rate_limit");
    expect(classify(RATE, { changedFiles: ["src/a.py"] }).outcome).toBe("rate_limit");
    expect(
      classify("litellm.RateLimitError: You exceeded your current quota (insufficient_quota)\n").outcome,
    ).toBe("auth_error");
    expect(
      classify(
        "litellm.AuthenticationError: bad key\nThe API provider is not able to authenticate you. Check your API key.\n",
      ).outcome,
    ).toBe("auth_error");
    expect(
      classify("litellm.APIConnectionError: connection refused\nRetrying in 0.2 seconds...\n").outcome,
    ).toBe("api_error");
    expect(classify("The API provider's servers are down or overloaded.\n").outcome).toBe("api_error");
  });
  it("a reply that merely mentions RateLimitError mid-line is not an API error", () => {
    expect(
      classify("We should catch litellm.RateLimitError here.\nApplied edit to src/a.py\n", {
        changedFiles: ["src/a.py"],
      }).outcome,
    ).toBe("success");
  });
  it("token limits", () => {
    expect(
      classify("Your estimated chat context of 131,072 tokens exceeds the 128,000 token limit for gpt-4o!\n")
        .outcome,
    ).toBe("context_window_exceeded");
    expect(classify("Model gpt-4o has hit a token limit!\n").outcome).toBe("context_window_exceeded");
    expect(classify("litellm.ContextWindowExceededError: too long\n").outcome).toBe(
      "context_window_exceeded",
    );
  });
  it("edit-format failures count only without changes (a partly applied reply is a success)", () => {
    const body =
      "The LLM did not conform to the edit format.\n## SearchReplaceNoExactMatch: This SEARCH block failed\nOnly 3 reflections allowed, stopping.\n";
    expect(classify(body).outcome).toBe("edit_format_error");
    expect(classify(body, { changedFiles: ["src/a.py"] }).outcome).toBe("success");
  });
  it("no changes otherwise; changes within the editable files are a success", () => {
    expect(classify("Nothing to do.\n").outcome).toBe("no_changes");
    expect(
      classify("Applied edit to src/a.py\nCommit 1234567 x\n", { changedFiles: ["src/a.py"] }),
    ).toMatchObject({ outcome: "success", requestedFiles: [] });
  });
});

describe("findRequestedPaths", () => {
  it("reads the list that follows an asking line (as real 0.86 replies do)", () => {
    const reply = [
      "Please add these files to the chat:",
      "",
      "- `ticket_cleaner/cli.py`",
      "- `ticket_cleaner/report.py`",
      "* tests/test_cli.py",
      "",
      "Tokens: 3.0k sent, 42 received. Cost: $0.0063 message, $0.0063 session.",
    ].join("\n");
    expect(findRequestedPaths(reply)).toEqual([
      "ticket_cleaner/cli.py",
      "ticket_cleaner/report.py",
      "tests/test_cli.py",
    ]);
  });
  it("ignores URLs and aider's own lines", () => {
    expect(
      findRequestedPaths(
        "Added src/a.py to the chat.\nPlease add https://x.io/a.py and `cfg/app.yaml` to the chat.\n",
      ),
    ).toEqual(["cfg/app.yaml"]);
  });
});
