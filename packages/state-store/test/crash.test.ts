import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpStateDir } from "./helpers.js";

const pkg = fileURLToPath(new URL("..", import.meta.url));

// The child process runs the BUILT store (dist); rebuild when the sources are newer.
beforeAll(() => {
  const dist = `${pkg}dist/index.js`;
  const newestSource = Math.max(
    ...readdirSync(`${pkg}src`, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .map((f) => statSync(`${pkg}src/${f}`).mtimeMs),
  );
  if (!existsSync(dist) || statSync(dist).mtimeMs < newestSource) {
    execFileSync(process.execPath, [
      `${pkg}../../node_modules/typescript/bin/tsc`,
      "-p",
      `${pkg}tsconfig.build.json`,
    ]);
  }
}, 120_000);

describe("kill -9 crash test (STATE-OBS-003; `pnpm soak` runs ≥ 200)", () => {
  it("after each SIGKILL, reopening equals the log's replay, every acknowledged event exactly once, no .tmp, valid JSON", async () => {
    // @ts-expect-error plain .mjs fixture shared with scripts/soak-state.mjs
    const { crashTrials } = await import("./fixtures/crash-trial.mjs");
    const runs = Number(process.env.WEFT_CRASH_RUNS ?? 25);
    const result = await crashTrials({ stateDir: tmpStateDir(), seed: 20260126, runs });
    expect(result.kills).toBe(runs);
    expect(result.totalAcked).toBeGreaterThan(runs);
  }, 300_000);
});
