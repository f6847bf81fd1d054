// `pnpm soak` (after `pnpm build`): the state store's kill -9 test at length (STATE-OBS-003). A child process
// commits transitions as fast as it can, printing each acknowledged event after flush(); it is SIGKILLed at a
// seeded random moment; the state is reopened and checked (replay == state, every acknowledged event exactly
// once, no duplicate seq, no .tmp left, valid JSON everywhere). Options: --runs N (default 200), --seed S.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { numberOption } from "../bench/lib/cli.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { crashTrials } = await import(join(root, "packages/state-store/test/fixtures/crash-trial.mjs"));
const runs = numberOption("runs", 200);
const seed = numberOption("seed", 20260126);
// Several independent histories of 50 kills each, so long histories and fresh ones are both exercised.
const perHistory = 50;
const t0 = Date.now();
let done = 0;
let acked = 0;
let appended = 0;
let torn = 0;
let tmp = 0;
let takeovers = 0;
try {
  for (let h = 0; done < runs; h++) {
    const base = mkdtempSync(join(tmpdir(), "weft-soak-state-"));
    const n = Math.min(perHistory, runs - done);
    const r = await crashTrials({
      stateDir: join(base, ".state"),
      seed: seed + h,
      runs: n,
      onRun(_i, info) {
        done += 1;
        appended += info.recovery.appendedFromSnapshot;
        if (info.recovery.tornLineCut) torn += 1;
        if (info.recovery.removedTmpFiles.length > 0) tmp += 1;
        if (info.recovery.lockTakenOver) takeovers += 1;
        if (done % 10 === 0) process.stdout.write(`  ${done}/${runs} kills verified (seq ${info.seq})\n`);
      },
    });
    acked += r.totalAcked;
    rmSync(base, { recursive: true, force: true });
  }
} catch (e) {
  process.stderr.write(`soak-state: FAILED after ${done} verified kills (seed ${seed}): ${e.message}\n`);
  process.exit(1);
}
process.stdout.write(
  `soak-state: ${done} SIGKILLs, all verified in ${Math.round((Date.now() - t0) / 1000)} s — ${acked} acknowledged events all present exactly once; ` +
    `recoveries: ${appended} events re-appended from current.json, ${torn} torn lines cut, ${tmp} with leftover .tmp removed, ${takeovers} stale locks taken over\n`,
);
