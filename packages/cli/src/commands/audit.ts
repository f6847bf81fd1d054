import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { defaultConfig, type WeftConfig, WeftError } from "@weft/core-schema";
import { parseConfigFile } from "@weft/loader";
import {
  buildAuditReport,
  type RestoreResult,
  type RotateResult,
  renderAuditReportMarkdown,
  restoreSegment,
  rotateLog,
  statePaths,
  type VerifyResult,
  verifyLog,
} from "@weft/state-store";
import type { CommandSpec } from "../command-spec.js";
import { flagString } from "../parse-args.js";
import { parseTimeFlag } from "./replay.js";

function loadConfig(cwd: string): WeftConfig {
  const file = join(cwd, "weft.config.json");
  if (!existsSync(file)) return defaultConfig();
  const parsed = parseConfigFile(readFileSync(file, "utf8"), { file });
  if (parsed.config === undefined) {
    const first = parsed.issues[0];
    throw new WeftError("CLI_CONFIG", first ? first.message : "weft.config.json is invalid", {
      hint: "fix weft.config.json (weft validate lists every problem)",
      details: first ? { file, line: first.line, column: first.column } : { file },
    });
  }
  return parsed.config;
}

export function renderRotate(r: RotateResult): string {
  const out: string[] = [];
  if (r.segments.length === 0) out.push("nothing to rotate: the live log holds only today's events");
  for (const s of r.segments)
    out.push(`archived ${s.day}: ${s.lines} events (seq ${s.first_seq}–${s.last_seq}) → ${s.file}`);
  if (r.size_rule_applied)
    out.push("the live log exceeded retention.rotate_max_mb: today's events were archived too");
  if (r.dropped_already_archived > 0)
    out.push(`dropped ${r.dropped_already_archived} live lines already archived (an interrupted rotation)`);
  out.push(`live log keeps ${r.kept_lines} events`);
  for (const f of r.task_logs_archived) out.push(`task log archived → ${f}`);
  if (r.lock_taken_over)
    out.push(`took over a stale lock of pid ${r.lock_taken_over.pid} on ${r.lock_taken_over.host}`);
  return `${out.join("\n")}\n`;
}

export function renderVerify(v: VerifyResult): string {
  const out: string[] = [];
  for (const s of v.segments) {
    const range =
      s.first_seq !== null ? `seq ${s.first_seq}–${s.last_seq}` : s.readable ? "empty" : "UNREADABLE";
    out.push(`${s.kind.padEnd(7)} ${s.file}: ${s.lines} lines, ${range}`);
  }
  for (const i of v.issues) {
    out.push(
      `${i.file}:${i.line}:${i.column}: ${i.severity} [${i.requirement}] ${i.message}`,
      `  hint: ${i.hint}`,
    );
  }
  out.push(
    v.ok
      ? `OK: ${v.events} events, seq 1–${v.last_seq} without gaps, ${v.hash_chained} hash-chained lines intact, every archive readable`
      : `FAIL: ${v.issues.filter((i) => i.severity === "error").length} error(s) in ${v.events} events`,
  );
  return `${out.join("\n")}\n`;
}

export function renderRestore(r: RestoreResult): string {
  const out = [
    r.unchanged
      ? `${r.target} already holds this backup (seq ${r.first_seq}–${r.last_seq}); nothing changed`
      : `restored ${r.kind === "archive" ? "archive segment" : "live log"} ${r.target}: ${r.lines} events, seq ${r.first_seq}–${r.last_seq}`,
  ];
  if (r.replaced) out.push(`the previous file was moved to ${r.replaced}`);
  return `${out.join("\n")}\n${renderVerify(r.verify)}`;
}

/** `weft audit rotate|verify|report|restore` (AUDIT-001/002, docs/operations/AUDIT_RETENTION.md). */
export const auditCommand: CommandSpec = {
  name: "audit",
  summary:
    "rotate the event log to the archive, verify the history, restore a segment, build compliance reports",
  usage: [
    "audit rotate            archive closed UTC days (and the whole live log above retention.rotate_max_mb)",
    "audit verify            check every line, seq continuity, the hash chain and every archive",
    "audit report [--from <ts>] [--to <ts>] [--format md|json]",
    "audit restore <backup>  put a checked backup of transitions_YYYYMMDD.jsonl.gz or transitions.jsonl back",
  ],
  flags: [
    {
      name: "from",
      type: "string",
      value: "<ts>",
      description: "report window start (default: the beginning)",
    },
    { name: "to", type: "string", value: "<ts>", description: "report window end (default: now)" },
    { name: "format", type: "string", value: "md|json", description: "report format (default md)" },
  ],
  details:
    "Exit codes: 0 ok, 1 verify (or the verify after restore) found errors, 2 bad usage or the .state lock is held\nby a running orchestrator (rotate, restore). Policy: docs/operations/AUDIT_RETENTION.md.",
  async run(args, ctx) {
    const sub = args.positionals[0];
    const paths = statePaths(join(ctx.cwd, ".state"));
    if (sub === "rotate") {
      const config = loadConfig(ctx.cwd);
      const r = rotateLog(paths, {
        now: ctx.io.now,
        rotateMaxMb: config.retention.rotate_max_mb,
        taskLogDays: config.retention.task_log_days,
      });
      return { exitCode: 0, data: r, render: () => renderRotate(r) };
    }
    if (sub === "verify") {
      const v = verifyLog(paths);
      return { exitCode: v.ok ? 0 : 1, data: v, render: () => renderVerify(v) };
    }
    if (sub === "report") {
      const from = parseTimeFlag("from", flagString(args, "from")) ?? "1970-01-01T00:00:00.000Z";
      const to = parseTimeFlag("to", flagString(args, "to")) ?? ctx.io.now().toISOString();
      const format = flagString(args, "format") ?? "md";
      if (format !== "md" && format !== "json") {
        throw new WeftError("CLI_USAGE", `--format must be md or json (got '${format}')`);
      }
      const r = buildAuditReport(paths, from, to);
      return {
        exitCode: 0,
        data: r,
        render: () => (format === "json" ? `${JSON.stringify(r, null, 2)}\n` : renderAuditReportMarkdown(r)),
      };
    }
    if (sub === "restore") {
      const file = args.positionals[1];
      if (file === undefined) {
        throw new WeftError("CLI_USAGE", "weft audit restore needs the backup file", {
          hint: "weft audit restore /backups/transitions_20260131.jsonl.gz",
        });
      }
      const r = restoreSegment(paths, resolve(ctx.cwd, file), { now: ctx.io.now });
      return { exitCode: r.verify.ok ? 0 : 1, data: r, render: () => renderRestore(r) };
    }
    throw new WeftError(
      "CLI_USAGE",
      sub === undefined ? "weft audit needs a sub-command" : `unknown audit sub-command '${sub}'`,
      {
        hint: "weft audit rotate | verify | report | restore <backup>",
      },
    );
  },
};
