import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogFollower } from "./create-log-follower.js";

describe("createLogFollower", () => {
  it("returns complete new lines only, holding a torn line until its newline arrives", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "weft-obs-")), "transitions.jsonl");
    const f = createLogFollower(file);
    expect(await f.read()).toEqual([]);
    writeFileSync(file, '{"seq":1}\n{"seq":2}\n{"se');
    expect(await f.read()).toEqual(['{"seq":1}', '{"seq":2}']);
    expect(await f.read()).toEqual([]);
    appendFileSync(file, 'q":3}\n');
    expect(await f.read()).toEqual(['{"seq":3}']);
    expect(f.offset).toBe(30);
  });

  it("starts over when the file is rotated (replaced or shrunk)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-obs-"));
    const file = join(dir, "transitions.jsonl");
    writeFileSync(file, '{"seq":1}\n{"seq":2}\n');
    const f = createLogFollower(file);
    expect(await f.read()).toHaveLength(2);
    writeFileSync(join(dir, "new"), '{"seq":3}\n');
    renameSync(join(dir, "new"), file);
    expect(await f.read()).toEqual(['{"seq":3}']);
  });

  it("with fromEnd skips what is already there", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "weft-obs-")), "transitions.jsonl");
    writeFileSync(file, '{"seq":1}\n');
    const f = createLogFollower(file, { fromEnd: true });
    expect(await f.read()).toEqual([]);
    appendFileSync(file, "é\n");
    expect(await f.read()).toEqual(["é"]);
  });
});
