import { writeFileSync } from "node:fs";
import type { StateIndices } from "./compute-indices.js";
import { replaceFile } from "./internal/durable-fs.js";
import type { StatePaths } from "./state-paths.js";

/** The index files' texts (serialized once, written by {@link writeIndices}). */
export interface IndexTexts {
  readonly byWorkstream: string;
  readonly byStatus: string;
  readonly byWorker: string;
}

export function serializeIndices(indices: StateIndices): IndexTexts {
  return {
    byWorkstream: `${JSON.stringify(indices.byWorkstream)}\n`,
    byStatus: `${JSON.stringify(indices.byStatus)}\n`,
    byWorker: `${JSON.stringify(indices.byWorker)}\n`,
  };
}

/**
 * Writes the three index files (STATE-OBS-005/006), each through a `.tmp` + rename so a reader never sees half a
 * file. Not fsynced: indices are derived data, regenerated from `current.json` on every open, and a reader that
 * finds one stale (its `source_seq` differs from the snapshot's) answers from `current.json`. Synchronous: three
 * small writes to the page cache cost less than their thread-pool round trips.
 */
export function writeIndices(paths: StatePaths, texts: IndexTexts): void {
  const files: Array<[string, string]> = [
    [paths.byWorkstream, texts.byWorkstream],
    [paths.byStatus, texts.byStatus],
    [paths.byWorker, texts.byWorker],
  ];
  for (const [file, text] of files) {
    writeFileSync(`${file}.tmp`, text);
    replaceFile(`${file}.tmp`, file);
  }
}
