import type { FileHandle } from "node:fs/promises";
import { syncFd, writeFullySync } from "./internal/durable-fs.js";
import { nodeCrypto } from "./internal/lazy-builtins.js";

/** AUDIT-001 hash chain: sha256 (hex) of a log line's exact text, without its newline. */
export function hashLine(text: string): string {
  // crypto.hash (Node ≥ 20.12) is the one-shot form: several times cheaper per line than createHash().update().digest().
  return nodeCrypto().hash("sha256", text, "hex");
}

/**
 * STATE-OBS-003 step 3: appends a batch of lines to `transitions.jsonl` (opened with O_APPEND) in one write (to
 * the page cache, synchronously), then fdatasync on the thread pool. Called only after the snapshot containing the
 * batch was renamed into place.
 */
export async function appendLog(handle: FileHandle, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  writeFullySync(handle.fd, Buffer.from(`${lines.join("\n")}\n`), null);
  await syncFd(handle.fd, true);
}
