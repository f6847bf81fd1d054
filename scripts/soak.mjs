// `pnpm soak`: the long crash and kill -9 runs (the test suite runs short seeded versions of each).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { root } from "./ensure-pnpm.mjs";

let failed = 0;
for (const script of ["soak-state.mjs", "soak-run.mjs"]) {
  const path = join(root, "scripts", script);
  if (!existsSync(path)) continue;
  process.stdout.write(`\n== ${script}\n`);
  const r = spawnSync(process.execPath, [path, ...process.argv.slice(2)], { stdio: "inherit", cwd: root });
  if (r.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
