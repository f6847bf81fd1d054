import { CurrentState } from "@weft/core-schema";
import { checkSnapshotShape, type LoadedSnapshot, parseSnapshotFile } from "./read-snapshot.js";
import type { StatePaths } from "./state-paths.js";

export type { LoadedSnapshot } from "./read-snapshot.js";

/**
 * Reads and validates `.state/current.json` (STATE-OBS-001). The returned snapshot is the raw parsed JSON (key
 * order kept) once it passed the schema. With `validate: false` only JSON syntax and the top-level shape are
 * checked (fast path for `weft status` on big states).
 */
export function loadSnapshot(paths: StatePaths, options: { validate?: boolean } = {}): LoadedSnapshot {
  const parsed = parseSnapshotFile(paths);
  if (parsed.status !== "parsed" || options.validate === false) return checkSnapshotShape(parsed);
  const r = CurrentState.safeParse(parsed.raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return {
      status: "corrupt",
      message: `does not match the snapshot schema: ${issue.path.join(".") || "(root)"}: ${issue.message}`,
      line: 1,
      column: 1,
    };
  }
  return { status: "ok", snapshot: parsed.raw as CurrentState, text: parsed.text };
}
