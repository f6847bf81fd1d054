import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { nodeZlib } from "./internal/lazy-builtins.js";
import { type StatePaths, taskLogPath } from "./state-paths.js";

/**
 * The header line that opens each attempt in `.state/logs/{task_id}.log` (the scheduler writes the same shape:
 * `===== weft: attempt N of TASK (worker W) at TIMESTAMP =====`).
 */
export function formatAttemptHeader(
  taskId: string,
  attempt: number,
  timestamp: string,
  workerId?: string,
): string {
  const worker = workerId === undefined ? "" : ` (worker ${workerId})`;
  return `\n===== weft: attempt ${attempt} of ${taskId}${worker} at ${timestamp} =====\n`;
}

const HEADER = /^===== weft: .*?attempt (\d+)\b.*=====\s*$/;
const STAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/;

/** One attempt's section of a task log. */
export interface TaskLogAttempt {
  readonly attempt: number;
  readonly started_at: string;
  readonly lines: readonly string[];
}

/** Splits a task log into attempts (text before the first header is attempt 0). */
export function splitTaskLog(text: string): TaskLogAttempt[] {
  const out: Array<{ attempt: number; started_at: string; lines: string[] }> = [];
  let cur: { attempt: number; started_at: string; lines: string[] } | null = null;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    const m = HEADER.exec(line);
    if (m) {
      cur = { attempt: Number(m[1]), started_at: STAMP.exec(line)?.[0] ?? "", lines: [] };
      out.push(cur);
    } else {
      if (cur === null) {
        cur = { attempt: 0, started_at: "", lines: [] };
        out.push(cur);
      }
      cur.lines.push(line);
    }
  }
  return out;
}

/** Reads a task's log: the live file, else its archived copy (`archive/logs/YYYY/MM/{id}.log.gz`); null if none. */
export function readTaskLog(paths: StatePaths, taskId: string): { file: string; text: string } | null {
  const live = taskLogPath(paths, taskId);
  if (existsSync(live)) return { file: live, text: readFileSync(live, "utf8") };
  if (!existsSync(paths.archiveLogsDir)) return null;
  const name = `${taskId}.log.gz`;
  const found: string[] = [];
  for (const y of readdirSync(paths.archiveLogsDir).sort()) {
    const yd = join(paths.archiveLogsDir, y);
    for (const m of readdirSync(yd).sort()) {
      const f = join(yd, m, name);
      if (existsSync(f)) found.push(f);
    }
  }
  const last = found.at(-1);
  if (last === undefined) return null;
  return { file: last, text: nodeZlib().gunzipSync(readFileSync(last)).toString("utf8") };
}
