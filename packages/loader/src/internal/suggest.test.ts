import { describe, expect, it } from "vitest";
import { closest, editDistance } from "./suggest.js";

describe("typo suggestions", () => {
  it("counts a transposition as one edit", () => {
    expect(editDistance("stabel", "stable")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests close names only", () => {
    const fields = ["dependencies", "metrics", "timeout_seconds", "aider", "stable"];
    expect(closest("dependancies", fields)).toBe("dependencies");
    expect(closest("timout_seconds", fields)).toBe("timeout_seconds");
    expect(closest("aidr", fields)).toBe("aider");
    expect(closest("stabel", fields)).toBe("stable");
    expect(closest("retries", fields)).toBeUndefined();
    expect(closest("DEPENDENCIES", fields)).toBe("dependencies");
  });
});
