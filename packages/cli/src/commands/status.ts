import { join } from "node:path";
import { readStatus, type StatusReport, statePaths } from "@weft/state-store/read";
import type { CommandSpec } from "../command-spec.js";
import { flagString } from "../parse-args.js";

const ORDER = [
  "running",
  "validating",
  "retrying",
  "queued",
  "pending",
  "blocked",
  "completed",
  "failed",
  "cancelled",
];

function countsText(counts: Readonly<Record<string, number>>): string {
  const keys = [...ORDER.filter((k) => counts[k]), ...Object.keys(counts).filter((k) => !ORDER.includes(k))];
  return keys.map((k) => `${counts[k]} ${k}`).join(" · ") || "no tasks";
}

function elapsed(from: string | null, now: Date): string {
  if (from === null) return "";
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(from)) / 1000));
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
      : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Renders {@link StatusReport} for people. */
export function renderStatus(r: StatusReport, now: Date, max = 20): string {
  if (r.state === "none")
    return "no state yet: .state/current.json does not exist (start a run with `weft run`)\n";
  const out: string[] = [];
  const run = r.run;
  out.push(
    run
      ? `run ${run.run_id}: ${run.status} (pid ${run.pid} on ${run.host}, started ${run.started_at})`
      : "no run recorded",
  );
  if (r.lock) {
    const state =
      r.lock_alive === true
        ? "running"
        : r.lock_alive === false
          ? "dead: the next `weft run` recovers"
          : "on another host";
    out.push(`orchestrator: pid ${r.lock.pid} on ${r.lock.host} since ${r.lock.started_at} (${state})`);
  }
  out.push(
    `state: seq ${r.seq} at ${r.timestamp}${r.index === "stale" ? " (indices stale: answered from current.json)" : ""}`,
  );
  out.push(`tasks ${r.tasks}: ${countsText(r.totals)}`, "");
  if (r.workstreams.length > 0) {
    const w = Math.max(10, ...r.workstreams.map((l) => l.workstream_id.length));
    out.push(`${"WORKSTREAM".padEnd(w)}  ${"STATUS".padEnd(12)} ${"DONE".padStart(11)}  TASKS`);
    for (const l of r.workstreams) {
      const done = `${l.counts.completed ?? 0}/${l.total}`;
      out.push(
        `${l.workstream_id.padEnd(w)}  ${l.status.padEnd(12)} ${done.padStart(11)}  ${countsText(l.counts)}`,
      );
    }
  }
  if (r.active.length > 0) {
    out.push("", "active:");
    for (const t of r.active.slice(0, max)) {
      const worker = t.worker ? ` on ${t.worker}` : "";
      out.push(
        `  ${t.task_id} (${t.workstream_id}) ${t.status}${worker}, attempt ${t.attempt}, ${elapsed(t.started_at, now)}`,
      );
    }
    if (r.active.length > max) out.push(`  … and ${r.active.length - max} more`);
  }
  if (r.failed.length > 0) {
    out.push("", "failed:");
    for (const t of r.failed.slice(0, max))
      out.push(`  ${t.task_id} (${t.workstream_id}): ${t.error ?? "no error recorded"}`);
    if (r.failed.length > max) out.push(`  … and ${r.failed.length - max} more (weft explain <task_id>)`);
  }
  return `${out.join("\n")}\n`;
}

/** `weft status [--workstream <ws>] [--json]`: reads `.state` only, never executes anything (DESIGN §7). */
export const statusCommand: CommandSpec = {
  name: "status",
  summary: "show the current state (reads .state only)",
  usage: ["status [--workstream <ws>] [--json]"],
  flags: [{ name: "workstream", type: "string", value: "<ws>", description: "only this workstream" }],
  details:
    "Reads .state/current.json (STATE-OBS-001) and the by_workstream index when it is fresh (STATE-OBS-006).\nExit codes: 0 ok, 2 bad usage.",
  async run(args, ctx) {
    const workstream = flagString(args, "workstream");
    const report = readStatus(
      statePaths(join(ctx.cwd, ".state")),
      workstream === undefined ? {} : { workstream },
    );
    return { exitCode: 0, data: report, render: () => renderStatus(report, ctx.io.now()) };
  },
};
