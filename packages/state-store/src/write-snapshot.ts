import { writeFileDurable } from "./internal/durable-fs.js";
import type { StatePaths } from "./state-paths.js";

/**
 * STATE-OBS-003 steps 1–2: writes `current.json.tmp`, fsyncs it, renames it over `current.json` and fsyncs the
 * `.state` directory. The caller appends the batch to the log only after this resolves.
 */
export async function writeSnapshot(paths: StatePaths, text: string | readonly Buffer[]): Promise<void> {
  await writeFileDurable(paths.current, paths.currentTmp, text);
}
