import { join } from "node:path";
import { WeftError } from "@weft/core-schema";
import { replayAt, statePaths } from "@weft/state-store";
import type { CommandSpec } from "../command-spec.js";
import { flagNumber, flagString } from "../parse-args.js";

/**
 * Parses a time flag (`--at`, `--since`, `--until`, `--from`, `--to`) into ISO-8601 UTC with milliseconds.
 * Accepts anything `Date.parse` reads (a date alone means its midnight UTC). Bad values → `CLI_USAGE` (exit 2).
 */
export function parseTimeFlag(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new WeftError("CLI_USAGE", `--${name} needs a timestamp (got '${value}')`, {
      hint: "use ISO-8601, e.g. 2026-01-31T12:00:00.000Z or 2026-01-31",
    });
  }
  return new Date(ms).toISOString();
}

/** `weft replay --at <timestamp>` (AUDIT-001): the state as it was then, rebuilt from the log and its archives. */
export const replayCommand: CommandSpec = {
  name: "replay",
  summary: "show the state as it was at a past moment (from the log, archives included)",
  usage: ["replay --at <timestamp> [--json]", "replay --seq <n> [--json]"],
  flags: [
    { name: "at", type: "string", value: "<timestamp>", description: "ISO-8601 moment (inclusive)" },
    { name: "seq", type: "number", value: "<n>", description: "the state right after event <n>" },
  ],
  details:
    "The state after every event stamped at or before --at. --json prints the whole current.json-shaped state.",
  async run(args, ctx) {
    const at = parseTimeFlag("at", flagString(args, "at"));
    const seq = flagNumber(args, "seq");
    if (at === undefined && seq === undefined) {
      throw new WeftError("CLI_USAGE", "weft replay needs --at <timestamp> or --seq <n>", {
        hint: "e.g. weft replay --at 2026-01-31T12:00:00Z",
      });
    }
    const r = replayAt(statePaths(join(ctx.cwd, ".state")), at !== undefined ? { at } : { seq: seq! });
    const data = {
      at: at ?? null,
      seq: r.state.seq,
      events_applied: r.events,
      next_event: r.next,
      state: r.state,
    };
    const render = () => {
      const counts: Record<string, number> = {};
      const byWs = new Map<string, Record<string, number>>();
      for (const t of r.state.tasks) {
        counts[t.status] = (counts[t.status] ?? 0) + 1;
        const c = byWs.get(t.workstream_id) ?? {};
        c[t.status] = (c[t.status] ?? 0) + 1;
        byWs.set(t.workstream_id, c);
      }
      const fmt = (c: Record<string, number>) =>
        Object.entries(c)
          .map(([k, v]) => `${v} ${k}`)
          .join(" · ") || "no tasks";
      const lines = [
        `state at ${at ?? `seq ${seq}`}: seq ${r.state.seq} (${r.events} events), last event at ${r.state.timestamp}`,
        r.state.run ? `run ${r.state.run.run_id}: ${r.state.run.status}` : "no run recorded",
        `tasks ${r.state.tasks.length}: ${fmt(counts)}`,
      ];
      for (const ws of r.state.workstreams)
        lines.push(`  ${ws.workstream_id} ${ws.status}: ${fmt(byWs.get(ws.workstream_id) ?? {})}`);
      for (const t of r.state.tasks) {
        if (t.status === "running" || t.status === "validating")
          lines.push(`  ${t.task_id} ${t.status} on ${t.assigned_worker ?? "?"}`);
      }
      lines.push(
        r.next ? `next event: #${r.next.seq} ${r.next.event} at ${r.next.timestamp}` : "(end of the log)",
      );
      return `${lines.join("\n")}\n`;
    };
    return { exitCode: 0, data, render };
  },
};
