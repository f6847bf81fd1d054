import { CapabilityEntry } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import { compareSemver, matchCapabilities } from "./match-capabilities.js";

const registry = [
  CapabilityEntry.parse({ CapabilityId: "cap-git", Version: "1.0.0", Name: "GitOperations" }),
];

describe("matchCapabilities (CAP-REG-002, SPEC §6)", () => {
  it("matches by CapabilityId, Name and snake_case Name", () => {
    const offered = [{ name: "git_operations", version: "2.40.0" }];
    expect(matchCapabilities(registry, ["cap-git"], undefined, offered)).toBeNull();
    expect(matchCapabilities(registry, ["GitOperations"], undefined, offered)).toBeNull();
    expect(matchCapabilities(registry, ["git_operations"], undefined, offered)).toBeNull();
    expect(matchCapabilities(registry, ["python"], undefined, offered)).toMatch(
      /missing capability 'python'/,
    );
  });
  it("checks min_version with semver", () => {
    const offered = [{ name: "GitOperations", version: "1.9.3" }];
    expect(matchCapabilities(registry, ["cap-git"], "1.10.0", offered)).toMatch(/≥ 1.10.0/);
    expect(matchCapabilities(registry, ["cap-git"], "1.9.0", offered)).toBeNull();
  });
  it("an unknown capability is still scheduled on a worker that advertises it", () => {
    expect(
      matchCapabilities(registry, ["docker"], undefined, [{ name: "docker", version: "24.0.0" }]),
    ).toBeNull();
  });
  it("compareSemver orders numerically", () => {
    expect(compareSemver("1.10.0", "1.9.9")).toBeGreaterThan(0);
    expect(compareSemver("2.0.0-rc.1", "2.0.0")).toBeLessThan(0); // semver: a pre-release precedes its release
    expect(compareSemver("2.0.0+build.5", "2.0.0")).toBe(0);
  });
});
