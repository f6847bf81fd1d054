/**
 * @weft/state-store/read — `weft status`'s read path, without zod: reading `current.json` (shape-checked only), the
 * lock holder, and the status report.
 *
 * Public API (stability): stable since 0.1.0 — `readStatus(paths, options) → StatusReport`, `statePaths(dir)`, and
 * the types `StatusReport`, `WorkstreamStatusLine`, `StatePaths`. The same functions as the main entry.
 *
 * Integration points: `weft status` (packages/cli) imports this entry so the command starts without loading zod and
 * the schemas (DESIGN §6: `weft status` on 10,000 tasks ≤ 300 ms). Reads only; never takes the lock.
 * Dependencies: `@weft/core-schema/runtime` (errors, id checks), node:fs, node:os, node:path.
 */
export { readStatus, type StatusReport, type WorkstreamStatusLine } from "./read-status.js";
export { type StatePaths, statePaths } from "./state-paths.js";
