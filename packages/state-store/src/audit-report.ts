import { applyEvent, createStateModel, type EventLine, type StateModel } from "@weft/core-schema";
import { readEvents } from "./read-log.js";
import type { StatePaths } from "./state-paths.js";

export interface AuditActor {
  readonly actor: string;
  readonly events: number;
  readonly first: string;
  readonly last: string;
  readonly by_event: Readonly<Record<string, number>>;
}

export interface AuditFailure {
  readonly seq: number;
  readonly timestamp: string;
  readonly event: string;
  readonly severity: string;
  readonly entity: string;
  readonly error_type: string | null;
  readonly error_message: string | null;
}

export interface AuditIntervention {
  readonly seq: number;
  readonly timestamp: string;
  readonly actor: string;
  readonly event: string;
  readonly entity: string;
  readonly from_state: string | null;
  readonly to_state: string | null;
}

/** `weft audit report` (AUDIT-001): who did what when, failures, interventions, durations, tokens and cost. */
export interface AuditReport {
  readonly from: string;
  readonly to: string;
  readonly events: number;
  readonly first_seq: number | null;
  readonly last_seq: number | null;
  readonly by_severity: Readonly<Record<string, number>>;
  readonly actors: readonly AuditActor[];
  readonly failures: readonly AuditFailure[];
  readonly interventions: readonly AuditIntervention[];
  readonly tasks: {
    readonly completed: number;
    readonly failed: number;
    readonly cancelled: number;
    readonly retries: number;
    readonly attempts_timed: number;
    readonly total_duration_seconds: number;
    readonly avg_duration_seconds: number | null;
    readonly max_duration_seconds: number | null;
  };
  /** Tokens and cost spent in the window (difference of the tasks' running totals at `to` and at `from`). */
  readonly usage: {
    readonly tokens_used: number;
    readonly cost_usd: number;
    readonly by_workstream: Readonly<Record<string, { tokens_used: number; cost_usd: number }>>;
  };
}

function usageOf(model: StateModel): Map<string, { ws: string; tokens: number; cost: number }> {
  const out = new Map<string, { ws: string; tokens: number; cost: number }>();
  for (const t of model.tasks.values()) {
    out.set(t.task_id, {
      ws: t.workstream_id,
      tokens: Number(t.tokens_used) || 0,
      cost: Number(t.cost_usd) || 0,
    });
  }
  return out;
}

const entityOf = (e: EventLine) => `${e.entity_type}:${e.entity_id}`;
const str = (v: unknown) => (typeof v === "string" ? v : null);

/**
 * Builds the compliance report for events stamped in [`from`, `to`] (ISO-8601, inclusive) from the whole history,
 * archives included. Tokens and cost come from replaying the history to both ends of the window.
 */
export function buildAuditReport(paths: StatePaths, from: string, to: string): AuditReport {
  const model = createStateModel();
  let before: Map<string, { ws: string; tokens: number; cost: number }> | null = null;
  const actors = new Map<
    string,
    { events: number; first: string; last: string; by_event: Record<string, number> }
  >();
  const bySeverity: Record<string, number> = {};
  const failures: AuditFailure[] = [];
  const interventions: AuditIntervention[] = [];
  let events = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let completed = 0;
  let failed = 0;
  let cancelled = 0;
  let retries = 0;
  let timed = 0;
  let total = 0;
  let max: number | null = null;
  for (const { event: e } of readEvents(paths)) {
    if (e.timestamp > to) break;
    if (e.timestamp < from) {
      applyEvent(model, e);
      continue;
    }
    before ??= usageOf(model);
    applyEvent(model, e);
    events += 1;
    firstSeq ??= e.seq;
    lastSeq = e.seq;
    bySeverity[e.severity] = (bySeverity[e.severity] ?? 0) + 1;
    let a = actors.get(e.actor);
    if (a === undefined) {
      a = { events: 0, first: e.timestamp, last: e.timestamp, by_event: {} };
      actors.set(e.actor, a);
    }
    a.events += 1;
    a.last = e.timestamp;
    a.by_event[e.event] = (a.by_event[e.event] ?? 0) + 1;
    if (e.severity === "error" || e.severity === "critical" || e.to_state === "failed") {
      failures.push({
        seq: e.seq,
        timestamp: e.timestamp,
        event: e.event,
        severity: e.severity,
        entity: entityOf(e),
        error_type: str(e.metadata.error_type),
        error_message: str(e.metadata.error_message),
      });
    }
    if (e.event_type === "manual_override" || e.actor.startsWith("user:")) {
      interventions.push({
        seq: e.seq,
        timestamp: e.timestamp,
        actor: e.actor,
        event: e.event,
        entity: entityOf(e),
        from_state: e.from_state ?? null,
        to_state: e.to_state ?? null,
      });
    }
    if (e.entity_type === "task") {
      if (e.to_state === "completed") completed += 1;
      if (e.to_state === "failed") failed += 1;
      if (e.to_state === "cancelled") cancelled += 1;
      if (e.to_state === "retrying") retries += 1;
      const d = e.metadata.duration_seconds;
      if (typeof d === "number" && e.from_state === "running") {
        timed += 1;
        total += d;
        max = max === null ? d : Math.max(max, d);
      }
    }
  }
  const start = before ?? usageOf(model);
  const end = usageOf(model);
  let tokens = 0;
  let cost = 0;
  const byWs: Record<string, { tokens_used: number; cost_usd: number }> = {};
  for (const [id, u] of end) {
    const b = start.get(id);
    const dt = u.tokens - (b?.tokens ?? 0);
    const dc = u.cost - (b?.cost ?? 0);
    if (dt === 0 && dc === 0) continue;
    tokens += dt;
    cost += dc;
    const w = byWs[u.ws] ?? { tokens_used: 0, cost_usd: 0 };
    byWs[u.ws] = w;
    w.tokens_used += dt;
    w.cost_usd = Math.round((w.cost_usd + dc) * 1e6) / 1e6;
  }
  return {
    from,
    to,
    events,
    first_seq: firstSeq,
    last_seq: lastSeq,
    by_severity: bySeverity,
    actors: [...actors].map(([actor, a]) => ({ actor, ...a })).sort((x, y) => y.events - x.events),
    failures,
    interventions,
    tasks: {
      completed,
      failed,
      cancelled,
      retries,
      attempts_timed: timed,
      total_duration_seconds: Math.round(total * 1000) / 1000,
      avg_duration_seconds: timed === 0 ? null : Math.round((total / timed) * 1000) / 1000,
      max_duration_seconds: max,
    },
    usage: { tokens_used: tokens, cost_usd: Math.round(cost * 1e6) / 1e6, by_workstream: byWs },
  };
}

const cell = (v: unknown) =>
  String(v ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");

/** Markdown rendering of an {@link AuditReport}. */
export function renderAuditReportMarkdown(r: AuditReport): string {
  const out: string[] = [];
  out.push(`# weft audit report`, "", `Window: ${r.from} → ${r.to} (UTC)`, "");
  out.push(`- events: ${r.events}${r.first_seq !== null ? ` (seq ${r.first_seq}–${r.last_seq})` : ""}`);
  out.push(
    `- by severity: ${
      Object.entries(r.by_severity)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none"
    }`,
  );
  const t = r.tasks;
  out.push(
    `- tasks: ${t.completed} completed, ${t.failed} failed, ${t.cancelled} cancelled, ${t.retries} retries`,
    `- attempt durations: ${t.attempts_timed} timed, total ${t.total_duration_seconds}s, avg ${t.avg_duration_seconds ?? "-"}s, max ${t.max_duration_seconds ?? "-"}s`,
    `- usage: ${r.usage.tokens_used} tokens, $${r.usage.cost_usd}`,
    "",
    "## Who did what",
    "",
    "| actor | events | first | last | most frequent |",
    "|---|---:|---|---|---|",
  );
  for (const a of r.actors) {
    const top = Object.entries(a.by_event)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 4)
      .map(([k, v]) => `${k} ×${v}`)
      .join(", ");
    out.push(`| ${cell(a.actor)} | ${a.events} | ${a.first} | ${a.last} | ${cell(top)} |`);
  }
  out.push("", "## Failures", "");
  if (r.failures.length === 0) out.push("None.");
  else {
    out.push("| seq | time | event | entity | error |", "|---:|---|---|---|---|");
    for (const f of r.failures) {
      const err = f.error_type ? `${f.error_type}: ${f.error_message ?? ""}` : (f.error_message ?? "");
      out.push(
        `| ${f.seq} | ${f.timestamp} | ${cell(f.event)} | ${cell(f.entity)} | ${cell(err.slice(0, 200))} |`,
      );
    }
  }
  out.push("", "## Interventions", "");
  if (r.interventions.length === 0) out.push("None.");
  else {
    out.push("| seq | time | actor | event | entity | change |", "|---:|---|---|---|---|---|");
    for (const i of r.interventions) {
      out.push(
        `| ${i.seq} | ${i.timestamp} | ${cell(i.actor)} | ${cell(i.event)} | ${cell(i.entity)} | ${i.from_state ?? ""} → ${i.to_state ?? ""} |`,
      );
    }
  }
  const ws = Object.entries(r.usage.by_workstream);
  if (ws.length > 0) {
    out.push("", "## Usage by workstream", "", "| workstream | tokens | cost (USD) |", "|---|---:|---:|");
    for (const [id, u] of ws) out.push(`| ${cell(id)} | ${u.tokens_used} | ${u.cost_usd} |`);
  }
  return `${out.join("\n")}\n`;
}
