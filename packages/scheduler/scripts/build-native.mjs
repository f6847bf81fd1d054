// Builds the native spawn launcher (launcher/weft-spawn.c → launcher/bin/weft-spawn-<platform>-<arch>) after tsc.
// Optional by design: where there is no C compiler (or not Linux, or WEFT_NO_NATIVE=1) nothing is built and weft
// uses the Node launcher (launcher/spawn-launcher.mjs) — same behaviour, more CPU per spawn (docs/benchmarks.md).
// Linked statically where the toolchain can, so the binary does not depend on the glibc of the machine it runs on.
// CC picks the compiler (default `cc`); `--out DIR` builds into DIR instead of launcher/bin. Never fails the build.
import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "launcher", "weft-spawn.c");
const outAt = process.argv.indexOf("--out");
const binDir = outAt > 0 ? process.argv[outAt + 1] : join(root, "launcher", "bin");
const target = join(binDir, `weft-spawn-${process.platform}-${process.arch}`);

function skip(why) {
  rmSync(target, { force: true });
  console.log(`@weft/scheduler: native spawn launcher not built (${why}); weft will use the Node launcher`);
  process.exit(0);
}

if (process.env.WEFT_NO_NATIVE === "1") skip("WEFT_NO_NATIVE=1");
if (process.platform !== "linux") skip(`${process.platform} is not supported`);
const cc = process.env.CC || "cc";
mkdirSync(binDir, { recursive: true });
const tmp = `${target}.${process.pid}.tmp`;
const common = ["-std=gnu11", "-O2", "-s", "-Wall", "-Wextra", "-o", tmp, source];
let last = "";
for (const flags of [["-static"], []]) {
  const r = spawnSync(cc, [...flags, ...common], { encoding: "utf8" });
  if (r.error) skip(`${cc}: ${r.error.code ?? r.error.message}`);
  if (r.status === 0) {
    const check = spawnSync(tmp, ["--version"], { encoding: "utf8" });
    if (check.status === 0 && check.stdout.trim().startsWith("weft-spawn ")) {
      renameSync(tmp, target);
      console.log(`@weft/scheduler: built ${relative(root, target)}${flags.length ? " (static)" : ""}`);
      process.exit(0);
    }
    last = `the built binary did not answer --version: ${check.error?.message ?? check.stderr}`;
  } else {
    last = (r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ");
  }
}
rmSync(tmp, { force: true });
skip(`${cc} failed: ${last}`);
