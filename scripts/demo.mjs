// The demo (README's first command): sets up (pnpm, install, build), then in a fresh temp git repo runs
//   weft init --example → weft validate tasks → weft plan → weft run → weft status → weft explain task-001
// with the installed-from-source CLI. No API key or network needed: the example's aider step uses a deterministic
// offline stand-in named in its weft.config.json.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installAndBuild, root } from "./ensure-pnpm.mjs";

if (!process.argv.includes("--no-setup")) installAndBuild();
const weft = join(root, "apps", "weft", "dist", "weft.js");
const dir = mkdtempSync(join(tmpdir(), "weft-demo-"));
const git = (...args) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
git("init", "-q", "-b", "main");
git("config", "user.name", "weft demo");
git("config", "user.email", "demo@weft.invalid");

function step(args, { allowFail = false } = {}) {
  process.stdout.write(`\n$ weft ${args.join(" ")}\n`);
  const r = spawnSync(process.execPath, [weft, ...args, "--cwd", dir], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0 && !allowFail) {
    process.stderr.write(`demo: 'weft ${args.join(" ")}' exited ${r.status}\n`);
    process.exit(r.status ?? 1);
  }
  return r.status;
}

process.stdout.write(`demo repo: ${dir}\n`);
step(["init", "--example"]);
git("add", "-A");
git("commit", "-q", "-m", "example repo");
step(["validate", "tasks"]);
step(["plan"]);
step(["run"]);
step(["status"]);
step(["explain", "task-001"]);
process.stdout.write(`\ndemo finished: the example ran end to end in ${dir}\n`);
