import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isGroupAlive } from "../src/process-group.js";
import { tempDir } from "./helpers.js";

const cli = fileURLToPath(new URL("../../../apps/weft/dist/weft.js", import.meta.url));
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-C", cwd, ...args], { encoding: "utf8" }).trim();

/**
 * Crash recovery in worktree mode (DESIGN §3): `weft run` is killed with SIGKILL while a task runs and has dirtied
 * the worktree. The next `weft run` kills the orphaned process group, resets the worktree to the workstream's last
 * commit, re-queues the task (orchestrator_restarted, not a retry) and finishes; the dirt never reaches the branch.
 */
describe.runIf(existsSync(cli))("kill -9 during a task in worktree mode", () => {
  it("kills the orphan, resets the worktree, re-queues without a retry, and completes", async () => {
    const dir = tempDir("weft-crash-");
    git(dir, "init", "-q", "-b", "main");
    git(dir, "config", "user.email", "t@example.invalid");
    git(dir, "config", "user.name", "t");
    mkdirSync(join(dir, "tasks", "ws"), { recursive: true });
    const marker = join(dir, "..", `${dir.split("/").pop()}.marker`);
    const cmd = `if [ -f '${marker}' ]; then echo ok > out.txt; else touch '${marker}'; echo dirt > dirty.txt; sleep 60; fi`;
    writeFileSync(
      join(dir, "tasks", "ws", "t1.json"),
      JSON.stringify({
        schema_version: "2.0.0",
        task_id: "t1",
        workstream_id: "ws",
        name: "t1",
        type: "custom",
        execution: { command: cmd },
      }),
    );
    writeFileSync(join(dir, ".gitignore"), ".state/\n.weft/\n");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "init");

    const child = spawn(process.execPath, [cli, "run", "--workers", "1"], {
      cwd: dir,
      stdio: "ignore",
      env: { ...process.env, CI: "1" },
    });
    const current = () => {
      try {
        return JSON.parse(readFileSync(join(dir, ".state", "current.json"), "utf8"));
      } catch {
        return null;
      }
    };
    let pid: number | null = null;
    for (let i = 0; i < 600 && pid === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const t = current()?.tasks?.find((x: { task_id: string }) => x.task_id === "t1");
      if (t?.status === "running" && typeof t.pid === "number" && existsSync(marker)) pid = t.pid;
    }
    expect(pid).not.toBeNull();
    await new Promise((r) => setTimeout(r, 300)); // let the task write its dirt
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    expect(isGroupAlive(pid!)).toBe(true); // the orphan survived the orchestrator

    const second = execFileSync(process.execPath, [cli, "run", "--workers", "1"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, CI: "1" },
    });
    expect(second).toMatch(/completed/);
    await new Promise((r) => setTimeout(r, 100));
    expect(isGroupAlive(pid!)).toBe(false);
    const log = readFileSync(join(dir, ".state", "transitions.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const requeue = log.find((l) => l.entity_id === "t1" && l.trigger === "orchestrator_restarted");
    expect(requeue).toMatchObject({ from_state: "running", to_state: "queued" });
    expect(log.some((l) => l.event === "orchestrator_recovered")).toBe(true);
    const final = current().tasks.find((x: { task_id: string }) => x.task_id === "t1");
    expect(final).toMatchObject({ status: "completed", retry_count: 0 });
    expect(git(dir, "show", "main:out.txt")).toBe("ok");
    expect(() => git(dir, "show", "main:dirty.txt")).toThrow();
  }, 240_000);
});
