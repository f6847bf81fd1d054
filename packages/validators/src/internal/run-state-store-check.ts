import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { checkStateDir, type StateIssue } from "@weft/state-store";

/**
 * @weft/state-store's `checkStateDir` (STATE-OBS-001..006, AUDIT-001/002) — in a worker thread when the built worker
 * module exists (the package's dist), so it runs beside the other checks; in-process otherwise (tests from source).
 */
export function runStateStoreCheck(stateDir: string): Promise<StateIssue[]> {
  // the package's built worker, found by the package's name (this module may be part of the `weft` CLI's bundle)
  const workerFile = join(
    dirname(createRequire(import.meta.url).resolve("@weft/validators/package.json")),
    "dist",
    "internal",
    "state-store-check-worker.js",
  );
  if (!import.meta.url.endsWith(".js") || !existsSync(workerFile)) return checkStateDir(stateDir);
  const workerUrl = pathToFileURL(workerFile);
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: { stateDir } });
    let done = false;
    worker.once("message", (issues: StateIssue[]) => {
      done = true;
      resolve(issues);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!done) reject(new Error(`the state check worker exited with code ${code}`));
    });
  });
}
