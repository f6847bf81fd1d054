// The spawn launchers on their own (docs/execution_model/SCHEDULING.md): N `/bin/sh -c true` commands, two at a time,
// each with its own log file, through @weft/scheduler's native launcher (posix_spawn) and its Node launcher (fork
// from a Node process), in alternating rounds. Reports the wall time and the whole machine's CPU time
// (/proc/stat: every process — launcher, the forked children, sh — and the kernel) per 1,000 commands.
//   node bench/launcher.mjs [--commands 1000] [--rounds 4] [--json]   (after `pnpm build`)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, numberOption } from "./lib/cli.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { nativeLauncherUsable, startSpawnLauncher } = await import(
  join(root, "packages", "scheduler", "dist", "index.js")
);
const commands = numberOption("commands", 1000);
const rounds = numberOption("rounds", 4);
const json = process.argv.includes("--json");

/** Busy CPU seconds of the whole machine so far (user + nice + system + irq + softirq, all cores). */
function machineBusy() {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return (f[0] + f[1] + f[2] + f[5] + f[6]) / 100;
}

async function round(kind) {
  const launcher = startSpawnLauncher({ prefer: kind === "node" ? "node" : "auto" });
  if (launcher === null || launcher.kind !== kind) throw new Error(`the ${kind} launcher is not available`);
  const dir = mkdtempSync(join(tmpdir(), `weft-bench-launcher-${kind}-`));
  // let the launcher start before the clock does
  await launcher.run({ command: "true", cwd: dir, logFile: join(dir, "warm.log") });
  const cpu0 = machineBusy();
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < commands) {
      const i = next++;
      const r = await launcher.run({ command: "true", cwd: dir, logFile: join(dir, `${i}.log`) });
      if (r.exitCode !== 0) throw new Error(`command ${i}: ${JSON.stringify(r)}`);
    }
  };
  await Promise.all([lane(), lane()]);
  const wall = performance.now() - t0;
  const cpu = machineBusy() - cpu0;
  launcher.close();
  rmSync(dir, { recursive: true, force: true });
  return { kind, wall_ms: Math.round(wall), machine_cpu_s: Math.round(cpu * 100) / 100 };
}

if (!nativeLauncherUsable()) {
  process.stdout.write(
    "bench/launcher: the native launcher is not built here (no C compiler at `pnpm build`); skipped\n",
  );
  process.exit(0);
}
const results = [];
for (let i = 0; i < rounds; i++) {
  for (const kind of i % 2 === 0 ? ["native", "node"] : ["node", "native"]) {
    const r = await round(kind);
    results.push(r);
    if (!json)
      process.stdout.write(
        `  round ${i + 1}/${rounds} ${kind.padEnd(6)}: ${r.wall_ms} ms wall, ${r.machine_cpu_s} s machine CPU\n`,
      );
  }
}
const summary = {};
for (const kind of ["native", "node"]) {
  const mine = results.filter((r) => r.kind === kind);
  summary[kind] = {
    wall_ms: median(mine.map((r) => r.wall_ms)),
    machine_cpu_ms_per_command:
      Math.round((median(mine.map((r) => r.machine_cpu_s)) * 1e6) / commands) / 1000,
  };
}
if (json) {
  process.stdout.write(`${JSON.stringify({ commands, rounds, cpu: cpus()[0]?.model, results, summary })}\n`);
} else {
  process.stdout.write(
    `spawn launchers — ${commands} × \`/bin/sh -c true\`, 2 at a time, ${cpus().length} cores (${cpus()[0]?.model}), ` +
      `medians of ${rounds} rounds:\n` +
      `  native (posix_spawn): ${summary.native.wall_ms} ms wall, ${summary.native.machine_cpu_ms_per_command} ms machine CPU per command\n` +
      `  Node (fork):          ${summary.node.wall_ms} ms wall, ${summary.node.machine_cpu_ms_per_command} ms machine CPU per command\n`,
  );
}
