import { join } from "node:path";
import { type EventLine, Severity, WeftError } from "@weft/core-schema";
import { type EventFilter, matchesFilter, queryEvents, readLiveTail, statePaths } from "@weft/state-store";
import type { CommandSpec } from "../command-spec.js";
import { flagBool, flagNumber, flagString } from "../parse-args.js";
import { parseTimeFlag } from "./replay.js";

/** One event as a line for people. */
export function renderEventLine(e: EventLine): string {
  const entity = `${e.entity_type}:${e.entity_id}`;
  const change =
    e.from_state !== null || e.to_state !== null ? ` ${e.from_state ?? "∅"}→${e.to_state ?? "∅"}` : "";
  const msg =
    typeof e.metadata.error_message === "string"
      ? ` — ${e.metadata.error_message.split("\n")[0]!.slice(0, 160)}`
      : "";
  const actor = e.actor === "system" ? "" : ` by ${e.actor}`;
  return `${e.timestamp} #${e.seq} ${e.severity.padEnd(8)} ${e.event} ${entity}${change}${e.trigger ? ` (${e.trigger})` : ""}${actor}${msg}`;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/**
 * `weft events`: queries the event log, archives included (AUDIT-002). `--follow` keeps printing new events
 * (one line each, NDJSON with --json) until interrupted.
 */
export const eventsCommand: CommandSpec = {
  name: "events",
  summary: "query the event log (archives included); --follow for live events",
  usage: [
    "events [--task <id>] [--workstream <ws>] [--severity info|warning|error|critical] [--since <ts>] [--until <ts>] [--last <n>] [--json]",
    "events --follow [filters…]",
  ],
  flags: [
    { name: "task", type: "string", value: "<id>", description: "events about this task" },
    { name: "workstream", type: "string", value: "<ws>", description: "events of this workstream" },
    { name: "severity", type: "string", value: "<level>", description: "minimum severity" },
    { name: "since", type: "string", value: "<ts>", description: "from this moment (ISO-8601, inclusive)" },
    { name: "until", type: "string", value: "<ts>", description: "up to this moment (inclusive)" },
    { name: "last", type: "number", value: "<n>", description: "only the last n matching events" },
    { name: "follow", type: "boolean", short: "f", description: "keep printing new events until Ctrl-C" },
  ],
  async run(args, ctx) {
    const sev = flagString(args, "severity");
    if (sev !== undefined && !Severity.safeParse(sev).success) {
      throw new WeftError("CLI_USAGE", `--severity must be info, warning, error or critical (got '${sev}')`);
    }
    const f: { -readonly [K in keyof EventFilter]: EventFilter[K] } = {};
    const task = flagString(args, "task");
    const ws = flagString(args, "workstream");
    const since = parseTimeFlag("since", flagString(args, "since"));
    const until = parseTimeFlag("until", flagString(args, "until"));
    if (task !== undefined) f.task = task;
    if (ws !== undefined) f.workstream = ws;
    if (sev !== undefined) f.severity = sev as Severity;
    if (since !== undefined) f.since = since;
    if (until !== undefined) f.until = until;
    const last = flagNumber(args, "last");
    const paths = statePaths(join(ctx.cwd, ".state"));
    const follow = flagBool(args, "follow");
    if (!follow) {
      let events = [...queryEvents(paths, f)];
      if (last !== undefined) events = events.slice(-Math.max(0, last));
      return {
        exitCode: 0,
        data: events,
        render: () =>
          events.length === 0 ? "no matching events\n" : `${events.map(renderEventLine).join("\n")}\n`,
      };
    }
    const print = (e: EventLine) =>
      ctx.io.stdout(ctx.json ? `${JSON.stringify(e)}\n` : `${renderEventLine(e)}\n`);
    let seen: number;
    const history: EventLine[] = [];
    const { until: _ignored, ...open } = f;
    for (const e of queryEvents(paths, open)) history.push(e);
    for (const e of last !== undefined ? history.slice(-last) : history) print(e);
    seen = history.at(-1)?.seq ?? 0;
    // Everything in the live log up to now was read above (matching or not): continue after its last seq.
    let offset = 0;
    let maxSeq = 0;
    const first = readLiveTail(paths, 0);
    offset = first.offset;
    for (const e of first.events) maxSeq = Math.max(maxSeq, e.seq);
    seen = Math.max(seen, maxSeq);
    while (!ctx.io.signal.aborted) {
      await sleep(200, ctx.io.signal);
      const next = readLiveTail(paths, offset);
      offset = next.offset;
      for (const e of next.events) {
        if (e.seq <= seen) continue;
        seen = e.seq;
        if (matchesFilter(e, f)) print(e);
      }
    }
    return { exitCode: 0 };
  },
};
