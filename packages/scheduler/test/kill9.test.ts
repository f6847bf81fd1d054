import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const cli = `${root}apps/weft/dist/weft.js`;

/**
 * Crash recovery (DESIGN §3, issue 5): `weft run` of 200 short tasks killed with SIGKILL at random moments, resumed
 * until it finishes. The 3-seed version of `pnpm soak` (scripts/soak-run.mjs runs 20 seeds). Needs the built CLI
 * (`pnpm test` builds first).
 */
describe("kill -9 of weft run (3 seeded runs × 200 tasks)", () => {
  it.runIf(existsSync(cli))(
    "every resumed run completes, every side effect exists, no completed task runs twice",
    () => {
      const r = spawnSync(
        process.execPath,
        [
          `${root}scripts/soak-run.mjs`,
          "--runs",
          "3",
          "--tasks",
          "200",
          "--seed",
          "101",
          "--kills",
          "2",
          "--json",
        ],
        {
          encoding: "utf8",
          timeout: 280_000,
        },
      );
      expect(r.stdout.trim(), `soak-run printed nothing; stderr:\n${r.stderr.slice(-3000)}`).not.toBe("");
      const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as {
        failed: number;
        runs: { ok: boolean; kills: number; recoveries: number; problems: string[]; executions: number }[];
      };
      expect(out.runs.flatMap((x) => x.problems)).toEqual([]);
      expect(out.failed).toBe(0);
      expect(out.runs).toHaveLength(3);
      for (const run of out.runs) {
        expect(run.kills).toBe(2);
        expect(run.executions).toBeGreaterThanOrEqual(200);
      }
      // at least one kill landed while tasks were running (recovery really happened)
      expect(out.runs.reduce((n, x) => n + x.recoveries, 0)).toBeGreaterThan(0);
      expect(r.status).toBe(0);
    },
    300_000,
  );
});
