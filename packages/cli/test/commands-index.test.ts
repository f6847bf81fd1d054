import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/index.js";

describe("the command index", () => {
  it("lists each command once, and its summary matches the module it loads", async () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const entry of COMMANDS) {
      const spec = await entry.load();
      expect(spec.name, entry.name).toBe(entry.name);
      expect(spec.summary, entry.name).toBe(entry.summary);
    }
  });
});
