import { describe, expect, it } from "vitest";
import { parseAiderOutput, parseTokenCount } from "./parse-aider-output.js";

const OUTPUT = [
  "Aider v0.86.2",
  "Main model: gpt-4o with diff edit format",
  "Weak model: gpt-4o-mini",
  "Git repo: .git with 3 files",
  "Repo-map: disabled because map_tokens == 0",
  "Added src/a b.py to the chat.",
  "Added docs/x.md to the chat (read-only).",
  "",
  "Here is the change.",
  "",
  "Tokens: 2.3k sent, 1.2k cache write, 300 cache hit, 145 received. Cost: $0.0091 message, $0.0091 session.",
  "Applied edit to src/a b.py",
  "README.md",
  "Allow edits to file that has not been added to the chat? (Y)es/(N)o [Yes]: Skipping edits to README.md",
  "src/new.py",
  "Create new file? (Y)es/(N)o [Yes]: Skipping edits to src/new.py",
  "Commit 1a2b3c4 feat: Change a",
  "",
].join("\n");

describe("parseAiderOutput", () => {
  it("reads announcements, edits, prompts (answered on the same line), commits and usage", () => {
    const p = parseAiderOutput(OUTPUT);
    expect(p.version).toBe("0.86.2");
    expect(p.model).toBe("gpt-4o");
    expect(p.gitRepoNone).toBe(false);
    expect(p.announcedEditable).toEqual(["src/a b.py"]);
    expect(p.announcedReadOnly).toEqual(["docs/x.md"]);
    expect(p.appliedEdits).toEqual(["src/a b.py"]);
    expect(p.prompts).toEqual([
      { question: "Allow edits to file that has not been added to the chat?", subject: "README.md" },
      { question: "Create new file?", subject: "src/new.py" },
    ]);
    expect(p.skippedEdits).toEqual(["README.md", "src/new.py"]);
    expect(p.commits).toEqual([{ hash: "1a2b3c4", message: "feat: Change a" }]);
    expect(p.tokenLines).toEqual([
      {
        sent: 2300,
        cacheWrite: 1200,
        cacheHit: 300,
        received: 145,
        messageCost: 0.0091,
        sessionCost: 0.0091,
      },
    ]);
  });

  it("reads grouped add-file prompts whose subjects follow the previous answer on the same line", () => {
    const p = parseAiderOutput(
      "src/a.py\nAdd file to the chat? (Y)es/(N)o/(A)ll/(S)kip all/(D)on't ask again [Yes]: src/b.py\n" +
        "Add file to the chat? (Y)es/(N)o/(A)ll/(S)kip all/(D)on't ask again [Yes]: \n",
    );
    expect(p.prompts).toEqual([
      { question: "Add file to the chat?", subject: "src/a.py" },
      { question: "Add file to the chat?", subject: "src/b.py" },
    ]);
  });

  it("notices Git repo: none and gitignore-skipped edits", () => {
    const p = parseAiderOutput("Git repo: none\nSkipping edits to .env that matches gitignore spec.\n");
    expect(p.gitRepoNone).toBe(true);
    expect(p.skippedEdits).toEqual([".env"]);
  });

  it("reads the model from 'Model:' too (0.86 prints it when the weak model is the same)", () => {
    expect(
      parseAiderOutput("Aider v0.86.2\nModel: ollama_chat/gpt-oss:20b with whole edit format\n").model,
    ).toBe("ollama_chat/gpt-oss:20b");
  });

  it("parses aider's abbreviated token counts", () => {
    expect([
      parseTokenCount("145"),
      parseTokenCount("2.3k"),
      parseTokenCount("12k"),
      parseTokenCount("1,234"),
    ]).toEqual([145, 2300, 12000, 1234]);
  });
});
