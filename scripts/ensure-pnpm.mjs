// Makes sure pnpm 10 is available (installs it with npm when missing: corepack fails here on a signature check),
// then installs the workspace. Used by `npm test` and `npm run demo` so both work on a machine with only Node + npm.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));

function pnpmVersion() {
  const r = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function ensurePnpm({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  let v = pnpmVersion();
  if (!v?.startsWith("10.")) {
    log(`setup: installing pnpm 10 with npm (found ${v ?? "none"})`);
    execFileSync("npm", ["install", "--global", "pnpm@10"], { stdio: "inherit" });
    v = pnpmVersion();
    if (!v) throw new Error("pnpm could not be installed: run `npm install --global pnpm@10` and retry");
  }
  return v;
}

export function installAndBuild({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  ensurePnpm({ log });
  const frozen = existsSync(`${root}/pnpm-lock.yaml`) ? ["--frozen-lockfile"] : [];
  log("setup: pnpm install");
  execFileSync("pnpm", ["install", ...frozen, "--reporter=append-only"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  log("setup: pnpm build");
  execFileSync("pnpm", ["run", "build"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
}
