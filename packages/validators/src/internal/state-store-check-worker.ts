// Worker entry: runs @weft/state-store's checkStateDir off the main thread (it reads the whole log synchronously),
// so `weft validate all` uses a second core while the main thread loads tasks and scans transitions.
import { parentPort, workerData } from "node:worker_threads";
import { checkStateDir } from "@weft/state-store";

const issues = await checkStateDir((workerData as { stateDir: string }).stateDir);
parentPort?.postMessage(issues);
