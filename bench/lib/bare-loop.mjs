// The bare Node spawn loop DESIGN §6 compares weft with: Kahn ready queue + child_process.spawn + a JSONL log with
// one fdatasync per event-loop turn. Run standalone: node bench/lib/bare-loop.mjs <dag.json> <log.jsonl> <workers>
import { spawn } from "node:child_process";
import { closeSync, fdatasyncSync, openSync, readFileSync, writeSync } from "node:fs";

export function runBareLoop(tasks, { workers = 2, logFile, command = "true" }) {
  return new Promise((resolve) => {
    const index = new Map(tasks.map((t, i) => [t.id, i]));
    const indeg = new Int32Array(tasks.length);
    const dependents = tasks.map(() => []);
    tasks.forEach((t, i) => {
      indeg[i] = t.deps.length;
      for (const d of t.deps) dependents[index.get(d)].push(i);
    });
    const ready = [];
    for (let i = 0; i < tasks.length; i++) if (indeg[i] === 0) ready.push(i);
    const fd = openSync(logFile, "a");
    let pending = [];
    let flushScheduled = false;
    const log = (obj) => {
      pending.push(JSON.stringify(obj));
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(() => {
          flushScheduled = false;
          writeSync(fd, `${pending.join("\n")}\n`);
          pending = [];
          fdatasyncSync(fd);
        });
      }
    };
    let running = 0;
    let done = 0;
    const pump = () => {
      while (running < workers && ready.length > 0) {
        const i = ready.pop();
        running += 1;
        log({ event: "task_started", task_id: tasks[i].id, t: Date.now() });
        const child = spawn("/bin/sh", ["-c", command], { stdio: "ignore", detached: true });
        child.on("exit", (code) => {
          running -= 1;
          done += 1;
          log({ event: code === 0 ? "task_completed" : "task_failed", task_id: tasks[i].id, t: Date.now() });
          for (const j of dependents[i]) if (--indeg[j] === 0) ready.push(j);
          if (done === tasks.length) {
            setImmediate(() => {
              if (pending.length > 0) writeSync(fd, `${pending.join("\n")}\n`);
              fdatasyncSync(fd);
              closeSync(fd);
              resolve();
            });
          } else pump();
        });
      }
    };
    pump();
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [dagFile, logFile, workers] = process.argv.slice(2);
  if (dagFile) {
    const tasks = JSON.parse(readFileSync(dagFile, "utf8"));
    await runBareLoop(tasks, { workers: Number(workers ?? 2), logFile });
  }
}
