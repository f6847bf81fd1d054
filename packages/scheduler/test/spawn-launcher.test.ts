import { spawn, spawnSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { runShellCommand } from "../src/command-runner.js";
import { isGroupAlive, isProcessAlive } from "../src/process-group.js";
import {
  LAUNCHER_SCRIPT,
  type LauncherKind,
  NATIVE_LAUNCHER,
  nativeLauncherUsable,
  type SpawnLauncher,
  startSpawnLauncher,
} from "../src/spawn-launcher.js";
import { tempDir } from "./helpers.js";

// The spawn launcher (DESIGN §4, §6): a real launcher process, real commands, real process groups.
const waitFor = async (check: () => boolean, ms = 3000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** SIGKILLs the launcher that started `pid` (its parent: field 4 of /proc/<pid>/stat, after the parenthesized name). */
function killLauncherOf(pid: number): void {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  process.kill(Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]), "SIGKILL");
}

/**
 * Where `pnpm build` builds the native launcher (scripts/build-native.mjs): Linux with a C compiler. There, a missing
 * or broken build fails the tests below; on a machine without a compiler they cover the Node launcher only. CI
 * installs gcc (.ci/apt-packages.txt).
 */
const NATIVE_EXPECTED =
  process.platform === "linux" &&
  process.env.WEFT_NO_NATIVE !== "1" &&
  spawnSync(process.env.CC || "cc", ["--version"]).status === 0;

// Both launchers pass the same tests: the native one (launcher/weft-spawn.c) and the Node one.
describe.each(NATIVE_EXPECTED ? (["native", "node"] as const) : (["node"] as const))(
  "spawn launcher (%s)",
  (kind: LauncherKind) => {
    let launcher: SpawnLauncher | null = null;
    afterEach(() => {
      launcher?.close();
      launcher = null;
    });
    const start = (): SpawnLauncher => {
      launcher = startSpawnLauncher({ prefer: kind === "node" ? "node" : "auto" });
      if (launcher === null) throw new Error("the launcher should start on this platform");
      expect(launcher.kind).toBe(kind);
      return launcher;
    };

    it("runs sh -c in cwd with env added, output appended to the log file after what was there", async () => {
      const dir = tempDir();
      const log = join(dir, "t.log");
      writeFileSync(log, "===== header =====\n");
      let spawned = 0;
      const r = await start().run({
        command: 'echo "id=$WEFT_TASK_ID in $(basename "$PWD")"; echo oops >&2',
        cwd: dir,
        env: { WEFT_TASK_ID: "t 1 'quoted'" },
        logFile: log,
        onSpawn: (pid) => {
          spawned = pid;
        },
      });
      expect(r).toMatchObject({ exitCode: 0, signal: null, timedOut: false, aborted: false, output: "" });
      expect(spawned).toBeGreaterThan(0);
      const base = dir.split("/").pop();
      expect(readFileSync(log, "utf8")).toBe(`===== header =====\nid=t 1 'quoted' in ${base}\noops\n`);
      expect(launcher!.running).toBe(0);
    });

    it("the child: own session and process group, stdin /dev/null, only fds 0–2, no signal blocked or ignored", async () => {
      const dir = tempDir();
      const log = join(dir, "t.log");
      let pid = 0;
      const controller = new AbortController();
      const running = start().run({
        command: "exec sleep 30",
        cwd: dir,
        logFile: log,
        signal: controller.signal,
        killGraceMs: 200,
        onSpawn: (p) => {
          pid = p;
        },
      });
      await waitFor(() => pid > 0 && readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "sleep");
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const [, , pgrp, session] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      expect([Number(pgrp), Number(session)]).toEqual([pid, pid]);
      expect(readlinkSync(`/proc/${pid}/fd/0`)).toBe("/dev/null");
      expect(readlinkSync(`/proc/${pid}/fd/1`)).toBe(log);
      expect(readlinkSync(`/proc/${pid}/fd/2`)).toBe(log);
      // the native launcher passes on nothing else; the Node one cannot help passing on what it inherited without
      // close-on-exec (vitest's workers have such a pipe), but adds nothing of its own
      const extra = readdirSync(`/proc/${pid}/fd`).filter((fd) => Number(fd) > 2);
      if (kind === "native") expect(extra).toEqual([]);
      else for (const fd of extra) expect(existsSync(`/proc/self/fd/${fd}`)).toBe(true);
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      expect(status).toMatch(/^SigBlk:\s+0+$/m);
      expect(status).toMatch(/^SigIgn:\s+0+$/m);
      controller.abort();
      expect(await running).toMatchObject({ aborted: true, signal: "SIGTERM" });
      // the request's variables replace the inherited ones of the same name; the rest is inherited
      const env = await launcher!.run({
        command: 'echo "$HOME|$WEFT_X|$(test -n "$PATH" && echo path)"',
        cwd: dir,
        env: { HOME: "/weft-home", WEFT_X: "a=b c" },
        logFile: join(dir, "env.log"),
      });
      expect(env.exitCode).toBe(0);
      expect(readFileSync(join(dir, "env.log"), "utf8")).toBe("/weft-home|a=b c|path\n");
    });

    it("a command killed by a signal reports its name; one that cannot open its log is a spawn error", async () => {
      const dir = tempDir();
      const r = await start().run({ command: "kill -KILL $$", cwd: dir, logFile: join(dir, "t.log") });
      expect(r).toMatchObject({ exitCode: null, signal: "SIGKILL" });
      const bad = await launcher!.run({
        command: "true",
        cwd: dir,
        logFile: join(dir, "no", "such", "t.log"),
      });
      expect(bad.spawnError).toMatch(/ENOENT/);
      expect(bad.spawnError).toContain(join(dir, "no", "such", "t.log"));
      // the launcher is still there for the next one
      expect(await launcher!.run({ command: "exit 7", cwd: dir, logFile: join(dir, "t.log") })).toMatchObject(
        {
          exitCode: 7,
        },
      );
      expect(launcher!.alive).toBe(true);
    });

    it("a NUL in a command is an error for that command, not for the launcher", async () => {
      const dir = tempDir();
      const r = await start().run({ command: "echo a\0b", cwd: dir, logFile: join(dir, "t.log") });
      expect(r.spawnError).toMatch(/null bytes|\\0|NUL/i);
      expect(r.exitCode).toBeNull();
      expect(await launcher!.run({ command: "exit 5", cwd: dir, logFile: join(dir, "t.log") })).toMatchObject(
        {
          exitCode: 5,
        },
      );
      expect(launcher!.alive).toBe(true);
    });

    it("a failing command's output tail is read back from its own part of the log", async () => {
      const dir = tempDir();
      const log = join(dir, "t.log");
      appendFileSync(log, "earlier attempt output\n");
      const r = await start().run({
        command: "echo first; echo 'E501 line too long'; exit 3",
        cwd: dir,
        logFile: log,
      });
      expect(r.exitCode).toBe(3);
      expect(r.output).toBe("first\nE501 line too long\n");
      const quiet = await launcher!.run({ command: "exit 4", cwd: dir, logFile: log });
      expect(quiet).toMatchObject({ exitCode: 4, output: "" });
    });

    it("many commands at once all finish with their own exit codes", async () => {
      const dir = tempDir();
      const l = start();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          l.run({ command: `exit ${i % 5}`, cwd: dir, logFile: join(dir, `${i}.log`) }),
        ),
      );
      expect(results.map((r) => r.exitCode)).toEqual(Array.from({ length: 40 }, (_, i) => i % 5));
    });

    it("a timeout kills the whole process group, grandchild included", async () => {
      const dir = tempDir();
      const r = await start().run({
        command: "sleep 30 & echo $! > gc.pid; wait",
        cwd: dir,
        logFile: join(dir, "t.log"),
        timeoutMs: 300,
        killGraceMs: 200,
      });
      expect(r.timedOut).toBe(true);
      expect(r.signal ?? r.exitCode).not.toBe(0);
      const gc = Number(readFileSync(join(dir, "gc.pid"), "utf8"));
      await waitFor(() => !isProcessAlive(gc));
    });

    it("an abort stops the command; an already aborted signal starts nothing", async () => {
      const dir = tempDir();
      const controller = new AbortController();
      let pid = 0;
      const running = start().run({
        command: "sleep 30",
        cwd: dir,
        logFile: join(dir, "t.log"),
        signal: controller.signal,
        killGraceMs: 200,
        onSpawn: (p) => {
          pid = p;
        },
      });
      await waitFor(() => pid > 0);
      controller.abort();
      expect(await running).toMatchObject({ aborted: true, exitCode: null, signal: "SIGTERM" });
      expect(isGroupAlive(pid)).toBe(false);
      const none = await launcher!.run({
        command: "touch ran",
        cwd: dir,
        logFile: join(dir, "t.log"),
        signal: controller.signal,
      });
      expect(none.aborted).toBe(true);
      expect(() => readFileSync(join(dir, "ran"))).toThrow();
    });

    it("a missing working directory is a spawn error, not a crash", async () => {
      const dir = tempDir();
      const r = await start().run({ command: "true", cwd: join(dir, "nope"), logFile: join(dir, "t.log") });
      expect(r.spawnError).toMatch(/ENOENT/);
      expect(r.exitCode).toBeNull();
      expect(launcher!.alive).toBe(true);
    });

    it("when the launcher dies, running commands are killed and reported, later ones spawn directly", async () => {
      const dir = tempDir();
      const l = start();
      let pid = 0;
      const running = l.run({
        command: "sleep 30",
        cwd: dir,
        logFile: join(dir, "t.log"),
        onSpawn: (p) => {
          pid = p;
        },
      });
      await waitFor(() => pid > 0);
      killLauncherOf(pid);
      const r = await running;
      expect(r.spawnError).toMatch(/spawn launcher exited/);
      await waitFor(() => !isGroupAlive(pid));
      expect(l.alive).toBe(false);
      const after = await l.run({ command: "echo direct", cwd: dir, logFile: join(dir, "t.log") });
      expect(after).toMatchObject({ exitCode: 0, output: "direct\n" }); // direct spawn pipes its output back
    });

    describe("launch ahead (afterPid)", () => {
      /** Starts `command` as the predecessor and waits for its pid. */
      const predecessor = async (l: SpawnLauncher, dir: string, command: string) => {
        let pid = 0;
        const result = l.run({
          command,
          cwd: dir,
          logFile: join(dir, "a.log"),
          onSpawn: (p) => {
            pid = p;
          },
        });
        await waitFor(() => pid > 0);
        return { pid, result };
      };

      it("starts the command when its predecessor exits 0 — header first, with the start time filled in", async () => {
        const dir = tempDir();
        const l = start();
        const a = await predecessor(l, dir, "sleep 0.3; echo a > a.done");
        let bPid = 0;
        const b = l.run({
          command: "test -f a.done && echo after a",
          cwd: dir,
          logFile: join(dir, "b.log"),
          header: "== attempt 1 at {at} ==\n",
          afterPid: a.pid,
          timeoutMs: 5000,
          onSpawn: (p) => {
            bPid = p;
          },
        });
        await new Promise((r) => setTimeout(r, 100));
        expect(bPid).toBe(0); // waiting for a
        expect((await a.result).exitCode).toBe(0);
        expect(await b).toMatchObject({ exitCode: 0, timedOut: false });
        expect(bPid).toBeGreaterThan(0);
        expect(readFileSync(join(dir, "b.log"), "utf8")).toMatch(
          /^== attempt 1 at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ==\nafter a\n$/,
        );
      });

      it("is dropped, never run, when the predecessor fails", async () => {
        const dir = tempDir();
        const l = start();
        const a = await predecessor(l, dir, "sleep 0.2; exit 3");
        const b = await l.run({
          command: "touch b.ran",
          cwd: dir,
          logFile: join(dir, "b.log"),
          afterPid: a.pid,
        });
        expect((await a.result).exitCode).toBe(3);
        expect(b).toMatchObject({ notStarted: true, exitCode: null });
        expect(existsSync(join(dir, "b.ran"))).toBe(false);
        expect(l.running).toBe(0);
      });

      it("an abort while it waits drops it; the predecessor is not affected", async () => {
        const dir = tempDir();
        const l = start();
        const a = await predecessor(l, dir, "sleep 0.3; echo a > a.done");
        const controller = new AbortController();
        const b = l.run({
          command: "touch b.ran",
          cwd: dir,
          logFile: join(dir, "b.log"),
          afterPid: a.pid,
          signal: controller.signal,
        });
        controller.abort();
        expect(await b).toMatchObject({ notStarted: true });
        expect((await a.result).exitCode).toBe(0);
        await new Promise((r) => setTimeout(r, 100));
        expect(existsSync(join(dir, "b.ran"))).toBe(false);
        expect(existsSync(join(dir, "a.done"))).toBe(true);
      });

      it("a predecessor this launcher does not run (or no launcher at all) means nothing to wait for", async () => {
        const dir = tempDir();
        const r = await start().run({
          command: "touch b.ran",
          cwd: dir,
          logFile: join(dir, "b.log"),
          afterPid: 1,
        });
        expect(r.notStarted).toBe(true);
        const direct = await runShellCommand({ command: "touch b.ran", cwd: dir, afterPid: 1 });
        expect(direct.notStarted).toBe(true);
        expect(existsSync(join(dir, "b.ran"))).toBe(false);
      });

      it("when the launcher dies, a command waiting to launch ahead is reported not started", async () => {
        const dir = tempDir();
        const l = start();
        const a = await predecessor(l, dir, "sleep 30");
        const b = l.run({ command: "touch b.ran", cwd: dir, logFile: join(dir, "b.log"), afterPid: a.pid });
        killLauncherOf(a.pid);
        expect((await a.result).spawnError).toMatch(/spawn launcher exited/);
        expect(await b).toMatchObject({ notStarted: true });
        expect(existsSync(join(dir, "b.ran"))).toBe(false);
      });

      it("a timeout counts from the start, not from the request", async () => {
        const dir = tempDir();
        const l = start();
        // counted from the request, the timeout would end ~300 ms before the command could start; from the start,
        // the command has ~300 ms to spare
        const a = await predecessor(l, dir, "sleep 0.8");
        const b = await l.run({
          command: "sleep 0.2; echo finished",
          cwd: dir,
          logFile: join(dir, "b.log"),
          afterPid: a.pid,
          timeoutMs: 500,
        });
        expect(b).toMatchObject({ exitCode: 0, timedOut: false });
      });
    });
  },
);

describe.runIf(NATIVE_EXPECTED)("choosing the launcher", () => {
  it("the native launcher is built here and answers its protocol", () => {
    expect(existsSync(NATIVE_LAUNCHER)).toBe(true);
    expect(nativeLauncherUsable()).toBe(true);
  });

  it("the native launcher's protocol: 300 requests in 777-byte chunks, each answered once", async () => {
    const dir = tempDir();
    const child = spawn(NATIVE_LAUNCHER, [], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const replies: Array<{ t: string; id: number; code?: number }> = [];
    createInterface({ input: child.stdout }).on("line", (l) => replies.push(JSON.parse(l)));
    const request = (id: number, after: number | "", cmd: string, cwd = dir, env: string[] = []) =>
      `${["S", id, after, cwd, join(dir, `${id % 7}.log`), id % 3 ? "h {at}\n" : "", cmd, env.length, ...env].join("\0")}\0`;
    const n = 300;
    let text = "";
    for (let id = 1; id <= n; id++) {
      // every 4th launches ahead behind the one before; every 5th fails (so its follower is dropped); every 10th
      // cancels the request two before it (dropped if still waiting, ignored otherwise)
      text += request(id, id % 4 === 0 ? id - 1 : "", id % 5 === 0 ? "exit 1" : "true", dir, [
        "A=1",
        `LONG=${"x".repeat(id * 10)}`,
      ]);
      if (id % 10 === 0) text += `C\0${id - 2}\0`;
    }
    text += request(n + 1, "", "true", join(dir, "missing"));
    const bytes = Buffer.from(text);
    for (let o = 0; o < bytes.length; o += 777) child.stdin.write(bytes.subarray(o, o + 777));
    const ended = (id: number) => replies.some((r) => r.id === id && r.t !== "spawned");
    await waitFor(() => Array.from({ length: n + 1 }, (_, i) => i + 1).every(ended), 30_000);
    child.stdin.end();
    const code = await new Promise((r) => child.on("exit", r));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    for (let id = 1; id <= n + 1; id++) {
      const mine = replies.filter((r) => r.id === id).map((r) => r.t);
      // spawned + exit, or only dropped / error — never two endings
      expect([["spawned", "exit"], ["dropped"], ["error"]], `request ${id}: ${mine}`).toContainEqual(mine);
    }
    expect(replies.find((r) => r.id === n + 1)?.t).toBe("error");
    // a follower of a failed command (every 5th fails; its follower is the next multiple of 4) never ran
    expect(replies.find((r) => r.id === 16)?.t).toBe("dropped");
    expect(replies.find((r) => r.id === 20 && r.t === "exit")?.code).toBe(1);
  });

  it("a native launcher that lost its executable bit (packed by pnpm without executableFiles) gets it back", () => {
    const copy = join(tempDir(), "weft-spawn-copy");
    copyFileSync(NATIVE_LAUNCHER, copy);
    chmodSync(copy, 0o644);
    expect(nativeLauncherUsable(copy)).toBe(true);
    expect(statSync(copy).mode & 0o111).not.toBe(0);
  });

  it("falls back to the Node launcher when the native one is missing, foreign or not wanted", () => {
    const dir = tempDir();
    const old = join(dir, "weft-spawn-old");
    writeFileSync(old, "#!/bin/sh\necho weft-spawn 0\n", { mode: 0o755 });
    const cases: Array<[Parameters<typeof startSpawnLauncher>[0], LauncherKind]> = [
      [{ native: join(dir, "missing") }, "node"],
      [{ native: old }, "node"], // another protocol version
      [{ native: false }, "node"],
      [{ prefer: "node" }, "node"],
      [{}, "native"],
    ];
    for (const [options, kind] of cases) {
      const l = startSpawnLauncher(options);
      expect(l?.kind).toBe(kind);
      l?.close();
    }
    const prev = process.env.WEFT_LAUNCHER;
    process.env.WEFT_LAUNCHER = "node";
    try {
      const l = startSpawnLauncher();
      expect(l?.kind).toBe("node");
      l?.close();
    } finally {
      if (prev === undefined) delete process.env.WEFT_LAUNCHER;
      else process.env.WEFT_LAUNCHER = prev;
    }
    expect(startSpawnLauncher({ native: false, script: join(dir, "missing.mjs") })).toBeNull();
    expect(existsSync(LAUNCHER_SCRIPT)).toBe(true);
  });

  it("the build script builds where a compiler is, and skips without failing where none is", () => {
    const dir = tempDir();
    const script = join(import.meta.dirname, "..", "scripts", "build-native.mjs");
    const built = spawnSync(process.execPath, [script, "--out", join(dir, "ok")], { encoding: "utf8" });
    expect(built.status).toBe(0);
    const binary = join(dir, "ok", `weft-spawn-${process.platform}-${process.arch}`);
    expect(spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe("weft-spawn 1");
    const none = spawnSync(process.execPath, [script, "--out", join(dir, "none")], {
      encoding: "utf8",
      env: { ...process.env, CC: join(dir, "no-such-cc") },
    });
    expect(none.status).toBe(0);
    expect(none.stdout).toMatch(/not built .*no-such-cc: ENOENT.*Node launcher/);
    expect(existsSync(join(dir, "none", `weft-spawn-${process.platform}-${process.arch}`))).toBe(false);
  });
});
