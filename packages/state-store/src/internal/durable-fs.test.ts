import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { replaceFile } from "./durable-fs.js";

const openFds = () => readdirSync("/proc/self/fd").length;
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-replace-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("replaceFile (group-commit renames, STATE-OBS-003)", () => {
  it("renames over an existing file, creates a missing one, and leaves no temp file", () => {
    const dir = tempDir();
    const target = join(dir, "current.json");
    writeFileSync(`${target}.tmp`, "first");
    replaceFile(`${target}.tmp`, target);
    writeFileSync(`${target}.tmp`, "second");
    replaceFile(`${target}.tmp`, target);
    expect(readFileSync(target, "utf8")).toBe("second");
    expect(readdirSync(dir)).toEqual(["current.json"]);
  });

  it("a reader holding the old file keeps reading the old content", () => {
    const dir = tempDir();
    const target = join(dir, "by_status.json");
    writeFileSync(target, "old");
    const reader = openSync(target, "r");
    writeFileSync(`${target}.tmp`, "new");
    replaceFile(`${target}.tmp`, target);
    const buf = Buffer.alloc(3);
    readSync(reader, buf, 0, 3, 0);
    closeSync(reader);
    expect(buf.toString()).toBe("old");
    expect(readFileSync(target, "utf8")).toBe("new");
  });

  it.skipIf(process.platform !== "linux")(
    "closes every file it holds open (no descriptor leak)",
    async () => {
      const dir = tempDir();
      const target = join(dir, "current.json");
      writeFileSync(target, "0");
      await settle();
      const before = openFds();
      for (let i = 1; i <= 200; i++) {
        writeFileSync(`${target}.tmp`, String(i));
        replaceFile(`${target}.tmp`, target);
      }
      await settle();
      expect(openFds()).toBe(before);
      expect(readFileSync(target, "utf8")).toBe("200");
    },
  );

  it("a failed rename closes the old file and throws", async () => {
    const dir = tempDir();
    const target = join(dir, "current.json");
    writeFileSync(target, "kept");
    await settle();
    const before = openFds();
    expect(() => replaceFile(join(dir, "missing.tmp"), target)).toThrow(/ENOENT/);
    await settle();
    expect(openFds()).toBe(before);
    expect(readFileSync(target, "utf8")).toBe("kept");
  });
});
