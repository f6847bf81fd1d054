// weft's spawn launcher (DESIGN §4, §6): a small, long-lived Node process that starts command tasks and gates on the
// orchestrator's behalf. fork() costs more the bigger the parent is, and it blocks the parent's event loop while it
// runs; here it is paid by a ~50 MB process beside the orchestrator instead. No dependencies; started by
// src/spawn-launcher.ts with stdio pipes, in its own process group (a Ctrl-C on the terminal is the orchestrator's).
//
// Protocol, NDJSON both ways:
//   in : {"id":1,"command":"…","cwd":"/abs","env":{"WEFT_TASK_ID":"…"},"log":"/abs/.state/logs/t.log"}
//        `env` is added to the launcher's own environment (the orchestrator's at start). The command runs as
//        `/bin/sh -c command` in its own process group (detached), stdin /dev/null, stdout and stderr the log file
//        opened for append — no pipe, so nothing of the output passes through here.
//   out: {"t":"spawned","id":1,"pid":123,"offset":456}   the group leader (the orchestrator kills the group by it:
//        TERM, KILL) and the log's size when opened (where this command's output starts)
//        {"t":"exit","id":1,"code":0,"signal":null}
//        {"t":"error","id":1,"message":"…"}   it could not be started (bad cwd, unwritable log…)
//        {"t":"dropped","id":2}   a launch-ahead request that will not run (see below)
//   Optional request fields:
//        "header": "…"   appended to the log before the command starts ("{at}" becomes the start time, ISO-8601)
//        "after": 1      launch ahead: start this command the moment command 1 exits with code 0 — no round trip
//                        through the orchestrator (DESIGN §6). If command 1 exits otherwise, or has already ended
//                        otherwise, or is unknown, the request is dropped. {"cancel":2} drops a request still waiting.
// When the orchestrator goes away (stdin closes) the launcher exits and leaves running commands alone, as a crashed
// orchestrator would: the next `weft run` finds and kills them by pid.
import { spawn } from "node:child_process";
import { closeSync, fstatSync, openSync, writeSync } from "node:fs";
import { createInterface } from "node:readline";

// The environment every command starts from, copied once: reading process.env goes through native getters, and a
// plain object is ten times cheaper to spread per spawn.
const baseEnv = { ...process.env };
let queue = [];
let flushing = false;
/** Launch-ahead requests by the id of the command they wait for. */
const waiting = new Map();
/** Running commands' ids, and the exit codes of the last ones that ended (a request may name one just gone). */
const running = new Set();
const recentExits = new Map();

function send(message) {
  queue.push(JSON.stringify(message));
  if (!flushing) {
    flushing = true;
    setImmediate(flush);
  }
}

function flush() {
  flushing = false;
  if (queue.length === 0) return;
  const text = `${queue.join("\n")}\n`;
  queue = [];
  process.stdout.write(text);
}

function handle(message) {
  if (message.cancel !== undefined) {
    for (const [after, waiter] of waiting) {
      if (waiter.id !== message.cancel) continue;
      waiting.delete(after);
      send({ t: "dropped", id: waiter.id });
    }
    return;
  }
  if (message.after === undefined || message.after === null) return start(message);
  if (running.has(message.after)) {
    waiting.set(message.after, message);
    return;
  }
  if (recentExits.get(message.after) === 0) return start(message);
  send({ t: "dropped", id: message.id });
}

function ended(id, code) {
  running.delete(id);
  recentExits.set(id, code);
  if (recentExits.size > 256) recentExits.delete(recentExits.keys().next().value);
  const next = waiting.get(id);
  if (next === undefined) return;
  waiting.delete(id);
  if (code === 0) start(next);
  else send({ t: "dropped", id: next.id });
}

function start({ id, command, cwd, env, log, header }) {
  let fd;
  let offset = 0;
  let child;
  try {
    fd = openSync(log, "a");
    if (typeof header === "string") writeSync(fd, header.replace("{at}", new Date().toISOString()));
    offset = fstatSync(fd).size;
    child = spawn("/bin/sh", ["-c", command], {
      cwd,
      env: env ? { ...baseEnv, ...env } : baseEnv,
      detached: true,
      stdio: ["ignore", fd, fd],
    });
  } catch (error) {
    send({ t: "error", id, message: error.message });
    return;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  let done = false;
  child.on("error", (error) => {
    if (done) return;
    done = true;
    send({ t: "error", id, message: error.message });
    ended(id, null);
  });
  child.on("exit", (code, signal) => {
    if (done) return;
    done = true;
    // written before a waiting command is started: the orchestrator settles this one while that one spawns
    send({ t: "exit", id, code, signal });
    flush();
    ended(id, code);
  });
  if (child.pid !== undefined) {
    running.add(id);
    send({ t: "spawned", id, pid: child.pid, offset });
  }
}

process.stdout.on("error", () => process.exit(0));
createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })
  .on("line", (line) => {
    if (line.trim() === "") return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      return; // never sent by weft; there is no id to answer
    }
    handle(request);
  })
  .on("close", () => {
    flush();
    process.exit(0);
  });
