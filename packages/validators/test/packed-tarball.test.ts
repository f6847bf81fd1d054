import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { makeCleanRepo } from "./helpers/make-clean-repo.js";

// As a user's CI would run it: only @weft/validators (and the @weft packages it depends on) installed from their
// packed tarballs with npm, outside the monorepo; then the `weft-validate` bin on the example repository.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const dir = mkdtempSync(join(tmpdir(), "weft-validators-packed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the packed @weft/validators tarball", () => {
  it("installs with npm alone; `weft-validate` checks the example repo and a full clean repo", async () => {
    const packs = join(dir, "packs");
    mkdirSync(packs);
    for (const pkg of ["core-schema", "loader", "dag", "state-store", "validators"]) {
      execFileSync("pnpm", ["pack", "--pack-destination", packs], {
        cwd: join(repoRoot, "packages", pkg),
        stdio: "pipe",
      });
    }
    const tarballs = readdirSync(packs).map((f) => join(packs, f));
    expect(tarballs.length).toBe(5);
    const app = join(dir, "ci");
    mkdirSync(app);
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "user-ci", private: true, type: "module" }),
    );
    execFileSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tarballs],
      { cwd: app, stdio: "pipe" },
    );

    const bin = join(app, "node_modules", ".bin", "weft-validate");
    const example = join(repoRoot, "examples", "basic");
    const ok = spawnSync(bin, ["tasks", "--cwd", example, "--verbose"], { encoding: "utf8", cwd: app });
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toMatch(/^PASS {2}TASK-DEF-001 /m);
    expect(ok.status).toBe(0);

    // The same installation reports a violation with its place and exit 1.
    const broken = join(dir, "broken", "tasks", "ws-1");
    mkdirSync(broken, { recursive: true });
    writeFileSync(
      join(broken, "t1.json"),
      '{\n  "schema_version": "2.0.0",\n  "task_id": "t1",\n  "workstream_id": "ws-1",\n  "name": "x",\n  "type": "shell"\n}\n',
    );
    const bad = spawnSync(bin, ["tasks", "--cwd", join(dir, "broken"), "--format", "github"], {
      encoding: "utf8",
      cwd: app,
    });
    expect(bad.stdout).toContain("::error file=tasks/ws-1/t1.json,line=6,col=11,title=TASK-DEF-002 ");
    expect(bad.status).toBe(1);

    // Every scope from the installed package, the state check's worker thread included.
    const clean = join(dir, "clean");
    await makeCleanRepo(clean);
    const all = spawnSync(bin, ["all", "--cwd", clean], { encoding: "utf8", cwd: app });
    expect(all.stderr).toBe("");
    expect(all.stdout).toContain("OK: 32 passed, 0 failed");
    expect(all.status).toBe(0);
  }, 300_000);
});
