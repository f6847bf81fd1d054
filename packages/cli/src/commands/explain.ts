import { join } from "node:path";
import { isValidId, WeftError } from "@weft/core-schema";
import { explainTask, statePaths, type TaskExplanation } from "@weft/state-store";
import type { CommandSpec } from "../command-spec.js";
import { flagNumber } from "../parse-args.js";

/** Dollars with enough digits for sub-cent model calls (0.0123), without float noise. */
function formatCost(usd: number): string {
  return usd === 0 ? "0" : usd >= 1 ? usd.toFixed(2) : Number(usd.toPrecision(3)).toString();
}

/** Renders {@link TaskExplanation} for people. */
export function renderExplanation(x: TaskExplanation): string {
  const out: string[] = [`${x.task_id}: ${x.summary}`];
  const rec = x.record;
  if (rec) {
    out.push(
      `  workstream ${rec.workstream_id}, type ${rec.type}, status ${rec.status}, retries ${rec.retry_count}/${rec.max_retries}, tokens ${rec.tokens_used}, cost $${formatCost(rec.cost_usd ?? 0)}`,
    );
  }
  if (x.attempts.length > 0) {
    out.push("", "attempts:");
    for (const a of x.attempts) {
      const end = a.outcome ? `→ ${a.outcome} (${a.trigger ?? ""}) at ${a.ended_at}` : "→ still running";
      const bits = [
        a.duration_seconds !== null ? `${a.duration_seconds}s` : null,
        a.exit_code !== null ? `exit ${a.exit_code}` : null,
        a.tokens_used !== null && (a.tokens_used > 0 || a.result) ? `tokens ${a.tokens_used}` : null,
        a.cost_usd !== null ? `cost $${formatCost(a.cost_usd)}` : null,
        a.error ? `${a.error.type}: ${a.error.message.split("\n")[0]}` : null,
      ].filter((b) => b !== null);
      const fix = a.fix_attempt !== null ? ` (fix ${a.fix_attempt})` : "";
      out.push(
        `  #${a.attempt}${fix} ${a.started_at} on ${a.worker ?? "?"} ${end}${bits.length ? ` — ${bits.join(", ")}` : ""}`,
      );
      const r = a.result;
      if (r) {
        const who = [r.model ? `model ${r.model}` : null, r.aider_version ? `aider ${r.aider_version}` : null]
          .filter((b) => b !== null)
          .join(", ");
        if (who) out.push(`      ${who}`);
        if (r.files_modified.length > 0) out.push(`      files: ${r.files_modified.join(", ")}`);
        if (r.commit_message) out.push(`      commit: ${r.commit_message.split("\n")[0]}`);
        if (r.diff_summary) out.push(`      diff: ${r.diff_summary.split("\n").at(-1)?.trim() ?? ""}`);
      }
    }
  }
  if (x.gates.length > 0) {
    out.push("", "gates:");
    for (const g of x.gates)
      out.push(
        `  ${g.timestamp} ${g.gate}: ${g.passed ? "passed" : "FAILED"}${g.message ? ` — ${g.message.split("\n")[0]}` : ""}`,
      );
  }
  if (x.problems.length > 0) {
    out.push("", "warnings and errors:");
    for (const e of x.problems) {
      const msg =
        typeof e.metadata.error_message === "string" ? ` — ${e.metadata.error_message.split("\n")[0]}` : "";
      out.push(`  #${e.seq} ${e.timestamp} ${e.severity} ${e.event} (${e.actor})${msg}`);
    }
  }
  if (x.log) {
    out.push("", `log (${x.log.file}, attempt ${x.log.attempt}, last ${x.log.tail.length} lines):`);
    for (const l of x.log.tail) out.push(`  | ${l}`);
  }
  return `${out.join("\n")}\n`;
}

/** `weft explain <task_id>` (AUDIT-001): why a task is where it is. Reads only. */
export const explainCommand: CommandSpec = {
  name: "explain",
  summary: "why a task is where it is: attempts, errors, gate results, log tail",
  usage: ["explain <task_id> [--lines <n>] [--json]"],
  flags: [{ name: "lines", type: "number", value: "<n>", description: "log lines to show (default 40)" }],
  details:
    "Reads the event history (archives included) and .state/logs/<task_id>.log. Exit 1 when the task is unknown.",
  async run(args, ctx) {
    const id = args.positionals[0];
    if (id === undefined)
      throw new WeftError("CLI_USAGE", "weft explain needs a task id", { hint: "weft explain <task_id>" });
    if (!isValidId(id)) {
      throw new WeftError("ID_INVALID", `'${id}' is not a valid task id`, {
        hint: "ids match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
      });
    }
    const x = explainTask(statePaths(join(ctx.cwd, ".state")), id, {
      logLines: flagNumber(args, "lines") ?? 40,
    });
    if (!x.found) {
      throw new WeftError("SCHED_TASK_NOT_FOUND", `no task '${id}' in .state (current.json or the log)`, {
        hint: "weft status lists the tasks; weft events shows the log",
      });
    }
    return { exitCode: 0, data: x, render: () => renderExplanation(x) };
  },
};
