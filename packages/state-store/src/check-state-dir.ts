import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { ByStatusIndex, ByWorkerIndex, ByWorkstreamIndex, type CurrentState } from "@weft/core-schema";
import { readLockHolder } from "./acquire-lock.js";
import { computeIndices } from "./compute-indices.js";
import { loadSnapshot } from "./load-snapshot.js";
import { issue, type StateIssue } from "./state-issue.js";
import { statePaths } from "./state-paths.js";
import { verifyLog } from "./verify-log.js";

/** The requirements {@link checkStateDir} checks (each reported PASS/FAIL by `weft validate state`). */
export const STATE_REQUIREMENTS = [
  "STATE-OBS-001",
  "STATE-OBS-002",
  "STATE-OBS-003",
  "STATE-OBS-004",
  "STATE-OBS-005",
  "STATE-OBS-006",
  "AUDIT-001",
  "AUDIT-002",
] as const;

const INDEX_SCHEMAS = [
  ["byWorkstream", ByWorkstreamIndex, "by_workstream.json"],
  ["byStatus", ByStatusIndex, "by_status.json"],
  ["byWorker", ByWorkerIndex, "by_worker.json"],
] as const;

function isLiveWriter(stateDir: string): boolean {
  const h = readLockHolder(statePaths(stateDir));
  if (h === null) return false;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * `weft validate state` checks (COMPLIANCE-001) of a `.state` directory — reads only, never executes anything:
 * STATE-OBS-001 (current.json present, schema-valid), 002 (the log exists and every line is valid), 003 (no
 * leftover `.tmp`, snapshot and log agree: `recent_events` covers any events the log lacks), 004 (event schema,
 * unique ids, time order), 005 (the three indices exist and are schema-valid), 006 (indices fresh and equal to
 * what current.json derives), AUDIT-001 (no seq gaps/duplicates, hash chain intact), AUDIT-002 (archives
 * readable). While a live orchestrator holds the lock, in-flight conditions (a `.tmp`, an index one batch behind)
 * are warnings. Returns issues; an empty list means every requirement passes.
 */
export async function checkStateDir(stateDir: string): Promise<StateIssue[]> {
  const paths = statePaths(stateDir);
  const issues: StateIssue[] = [];
  if (!existsSync(stateDir)) {
    issues.push(
      issue(
        "STATE-OBS-001",
        "error",
        stateDir,
        "no .state directory",
        "run `weft init`, then `weft run` to create the state",
      ),
    );
    return issues;
  }
  const live = isLiveWriter(stateDir);
  const inFlight: StateIssue["severity"] = live ? "warning" : "error";
  // 001
  const loaded = loadSnapshot(paths);
  let snap: CurrentState | null = null;
  if (loaded.status === "missing") {
    issues.push(
      issue(
        "STATE-OBS-001",
        "error",
        paths.current,
        "current.json is missing",
        "the next `weft run` rebuilds it from transitions.jsonl",
      ),
    );
  } else if (loaded.status === "corrupt") {
    issues.push(
      issue(
        "STATE-OBS-001",
        "error",
        paths.current,
        loaded.message,
        "the next `weft run` quarantines it and rebuilds it from transitions.jsonl",
        loaded.line,
        loaded.column,
      ),
    );
  } else {
    snap = loaded.snapshot;
  }
  // 003: leftovers
  for (const name of readdirSync(stateDir)) {
    if (name.endsWith(".tmp")) {
      issues.push(
        issue(
          "STATE-OBS-003",
          inFlight,
          `${stateDir}/${name}`,
          `leftover temporary file ${name} (an interrupted update)`,
          "the next `weft run` removes it; it holds nothing that is not in current.json or the log",
        ),
      );
    }
  }
  // 002 / 004 / AUDIT-001 / AUDIT-002
  const hasLog = existsSync(paths.log);
  if (!hasLog && snap !== null && snap.seq > 0) {
    issues.push(
      issue(
        "STATE-OBS-002",
        "error",
        paths.log,
        "transitions.jsonl is missing but current.json reflects events",
        "restore the log from a backup",
      ),
    );
  }
  const v = verifyLog(paths);
  issues.push(...v.issues);
  if (snap !== null) {
    if (snap.seq < v.last_seq) {
      issues.push(
        issue(
          "STATE-OBS-003",
          inFlight,
          paths.current,
          `current.json is at seq ${snap.seq} but the log reaches seq ${v.last_seq} (the snapshot must be written first)`,
          "the next `weft run` rebuilds current.json from the log",
        ),
      );
    } else if (snap.seq > v.last_seq) {
      const have = new Set(snap.recent_events.map((e) => e.seq));
      let covered = true;
      for (let s = v.last_seq + 1; s <= snap.seq; s++) if (!have.has(s)) covered = false;
      issues.push(
        issue(
          "STATE-OBS-003",
          covered ? inFlight : "error",
          paths.log,
          covered
            ? `the log ends at seq ${v.last_seq}, current.json is at ${snap.seq}; recent_events holds the missing events`
            : `the log ends at seq ${v.last_seq}, current.json is at ${snap.seq}, and recent_events does not cover the gap`,
          covered ? "the next `weft run` appends them to the log" : "restore transitions.jsonl from a backup",
        ),
      );
    }
  }
  // 005 / 006
  const expected = snap !== null ? computeIndices(snap, "") : null;
  for (const [key, schema, name] of INDEX_SCHEMAS) {
    const file = paths[key];
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
      issues.push(
        issue(
          "STATE-OBS-005",
          "error",
          file,
          missing ? `${name} is missing` : `${name} is not valid JSON`,
          "indices are regenerated from current.json by the next `weft run`",
        ),
      );
      continue;
    }
    const r = schema.safeParse(raw);
    if (!r.success) {
      const i0 = r.error.issues[0]!;
      issues.push(
        issue(
          "STATE-OBS-005",
          "error",
          file,
          `${name}: ${i0.path.join(".") || "(root)"}: ${i0.message}`,
          "regenerated by the next `weft run`",
        ),
      );
      continue;
    }
    if (snap === null || expected === null) continue;
    const idx = r.data as { source_seq: number; source_timestamp: string };
    if (idx.source_seq !== snap.seq || idx.source_timestamp !== snap.timestamp) {
      issues.push(
        issue(
          "STATE-OBS-006",
          inFlight,
          file,
          `${name} is stale: source_seq ${idx.source_seq} / ${idx.source_timestamp}, current.json is at ${snap.seq} / ${snap.timestamp}`,
          "readers answer from current.json meanwhile; the next snapshot regenerates it",
        ),
      );
      continue;
    }
    const { generated_at: _g1, ...want } = expected[key] as unknown as Record<string, unknown>;
    const { generated_at: _g2, ...got } = raw as Record<string, unknown>;
    if (!isDeepStrictEqual(want, got)) {
      issues.push(
        issue(
          "STATE-OBS-006",
          "error",
          file,
          `${name} does not match what current.json derives (same source_seq, different content)`,
          "delete it; the next `weft run` regenerates it",
        ),
      );
    }
  }
  return issues;
}
