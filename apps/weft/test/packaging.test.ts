import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Packaging (issue 2): every package must build, pack and work on its own, as users install it.
const root = fileURLToPath(new URL("../../..", import.meta.url));
const packageDirs = [
  ...readdirSync(join(root, "packages")).map((d) => join(root, "packages", d)),
  join(root, "apps", "weft"),
];
const bin = (name: string) => join(root, "node_modules", ".bin", name);

describe("packages are publishable on their own", () => {
  for (const dir of packageDirs) {
    const name = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name as string;
    it(`${name} passes publint`, () => {
      const r = spawnSync(bin("publint"), ["--strict"], { cwd: dir, encoding: "utf8" });
      expect(r.status, r.stdout + r.stderr).toBe(0);
    });
    if (name !== "weft") {
      it(`${name} passes @arethetypeswrong/cli (esm-only profile)`, () => {
        const r = spawnSync(bin("attw"), ["--pack", ".", "--profile", "esm-only", "--format", "ascii"], {
          cwd: dir,
          encoding: "utf8",
        });
        expect(r.status, r.stdout + r.stderr).toBe(0);
      });
    }
  }
});

describe("the packed CLI installs globally and runs (npm i -g --prefix)", () => {
  let work: string;
  let prefix: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "weft-pack-"));
    prefix = join(work, "prefix");
    for (const dir of packageDirs)
      execFileSync("pnpm", ["pack", "--pack-destination", work], { cwd: dir, stdio: "ignore" });
    const tarballs = readdirSync(work)
      .filter((f) => f.endsWith(".tgz"))
      .map((f) => join(work, f));
    execFileSync("npm", ["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", ...tarballs], {
      cwd: work,
      stdio: "ignore",
    });
  }, 240_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("`weft --version` prints the app's version", () => {
    const version = JSON.parse(readFileSync(join(root, "apps", "weft", "package.json"), "utf8"))
      .version as string;
    const out = execFileSync(join(prefix, "bin", "weft"), ["--version"], { encoding: "utf8" });
    expect(out.trim()).toBe(version);
  });

  it("`weft validate tasks` passes on the example repo", () => {
    const repo = join(work, "example");
    cpSync(join(root, "examples", "basic"), repo, { recursive: true });
    const r = spawnSync(join(prefix, "bin", "weft"), ["validate", "tasks", "--verbose", "--cwd", repo], {
      encoding: "utf8",
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("TASK-DEF-001");
    expect(r.stdout).toMatch(/PASS/);
  });

  // the native launcher (built by `pnpm build` here, shipped in the tarball) by default; the Node one on request
  // (Linux with a C compiler, where `pnpm build` builds it; elsewhere both runs use the Node launcher)
  const nativeExpected =
    process.platform === "linux" &&
    process.env.WEFT_NO_NATIVE !== "1" &&
    spawnSync(process.env.CC || "cc", ["--version"]).status === 0;
  const nodeLauncher = /node_modules\/@weft\/scheduler\/launcher\/spawn-launcher\.mjs/;
  it.each([
    nativeExpected
      ? (["native", {}, /node_modules\/@weft\/scheduler\/launcher\/bin\/weft-spawn-linux-x64/] as const)
      : (["node", {}, nodeLauncher] as const),
    ["node", { WEFT_LAUNCHER: "node" }, nodeLauncher] as const,
  ])(
    "`weft run --isolation none` runs the example's command tasks through the packaged %s launcher",
    (kind, env, cmdline) => {
      const repo = join(work, `run-none-${kind}`);
      cpSync(join(root, "examples", "basic"), repo, { recursive: true });
      // only the command tasks: ws-001's lint and test (the aider task and ws-002 are not needed here)
      rmSync(join(repo, "tasks", "ws-002"), { recursive: true });
      rmSync(join(repo, "tasks", "ws-001", "task-001.json"));
      const lint = JSON.parse(readFileSync(join(repo, "tasks", "ws-001", "task-002.json"), "utf8"));
      lint.dependencies = [];
      // $PPID of the task's shell: the launcher when it is used (its command line names it), weft otherwise
      lint.execution.command = "node scripts/lint.mjs && tr '\\0' ' ' < /proc/$PPID/cmdline";
      writeFileSync(join(repo, "tasks", "ws-001", "task-002.json"), JSON.stringify(lint));
      const r = spawnSync(join(prefix, "bin", "weft"), ["run", "--isolation", "none", "--json"], {
        cwd: repo,
        encoding: "utf8",
        env: { ...process.env, ...env },
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.trim().split("\n").at(-1)!)).toMatchObject({
        status: "completed",
        launcher: kind,
      });
      expect(readFileSync(join(repo, ".state", "logs", "task-003.log"), "utf8")).toMatch(/# pass 3/);
      expect(readFileSync(join(repo, ".state", "logs", "task-002.log"), "utf8")).toMatch(cmdline);
    },
  );
});
