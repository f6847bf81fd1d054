import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { checkStateDir, type StateIssue } from "@weft/state-store";

/**
 * @weft/state-store's `checkStateDir` (STATE-OBS-001..006, AUDIT-001/002) — in a worker thread when the built worker
 * module exists (the package's dist), so it runs beside the other checks; in-process otherwise (tests from source).
 */
export function runStateStoreCheck(stateDir: string): Promise<StateIssue[]> {
  const workerUrl = new URL("./state-store-check-worker.js", import.meta.url);
  if (!import.meta.url.endsWith(".js") || !existsSync(fileURLToPath(workerUrl)))
    return checkStateDir(stateDir);
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
