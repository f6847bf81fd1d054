import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readLines } from "./read-lines.js";

const dir = mkdtempSync(join(tmpdir(), "weft-read-lines-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(text: string): Promise<{ text: string; line: number; terminated: boolean }[]> {
  const p = join(dir, `f-${Math.random()}`);
  writeFileSync(p, text);
  const out = [];
  for await (const l of readLines(p)) out.push(l);
  return out;
}

describe("readLines", () => {
  it("splits lines, strips CR, flags an unterminated last line", async () => {
    expect(await collect("a\r\nbb\n\nccc")).toEqual([
      { text: "a", line: 1, terminated: true },
      { text: "bb", line: 2, terminated: true },
      { text: "", line: 3, terminated: true },
      { text: "ccc", line: 4, terminated: false },
    ]);
    expect(await collect("")).toEqual([]);
  });

  it("joins lines that span 1 MB chunks, including multi-byte characters", async () => {
    const long = "é".repeat(700_000); // 1.4 MB in UTF-8: spans two chunks
    const lines = await collect(`x\n${long}\ny\n`);
    expect(lines.map((l) => l.text.length)).toEqual([1, 700_000, 1]);
    expect(lines[1]!.text).toBe(long);
    expect(lines[2]).toEqual({ text: "y", line: 3, terminated: true });
  });
});
