import {
  close,
  closeSync,
  fdatasync,
  fsync,
  fsyncSync,
  openSync,
  renameSync,
  writeSync,
  writevSync,
} from "node:fs";
import { dirname } from "node:path";

// The hot path (a group commit per `group_commit_ms` window while events flow, STATE-OBS-003) writes to the page
// cache synchronously — a memcpy, and no thread-pool round trip per open/write/close/rename — and sends only the
// fsyncs, which wait for the disk, to the thread pool. It replaced ~22 promise-based fs calls per batch: on the
// 1,000-task bench DAG (~340 batches at the time) the orchestrator's CPU went from ~4.0 to ~3.4 s in paired runs
// (docs/benchmarks.md).

/** fsync(2) (or fdatasync(2)) of `fd` on the thread pool. */
export function syncFd(fd: number, dataOnly = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null) => (error ? reject(error) : resolve());
    if (dataOnly) fdatasync(fd, done);
    else fsync(fd, done);
  });
}

/**
 * rename(2) of `tmp` over `target` without paying, on this thread, for freeing the file it replaces. Replacing the
 * last name of an inode frees it inside rename, and on ext4 that waits for the journal: 0.2–0.5 ms per file measured
 * on the bench VM, four files per batch. Here the old file is held open across the rename, so
 * the rename only swaps names, and the last close — which frees it — runs on the thread pool.
 */
export function replaceFile(tmp: string, target: string): void {
  let old: number | undefined;
  try {
    old = openSync(target, "r");
  } catch {
    // no file to replace (first write), or unreadable: a plain rename
  }
  try {
    renameSync(tmp, target);
  } finally {
    if (old !== undefined) close(old, ignore);
  }
}

function ignore(): void {}

/** fsync a directory so a rename inside it is durable (STATE-OBS-003). */
export async function fsyncDir(dir: string): Promise<void> {
  const fd = openSync(dir, "r");
  try {
    await syncFd(fd);
  } finally {
    closeSync(fd);
  }
}

/** Synchronous variant of {@link fsyncDir}. */
export function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes all of `buf` to `fd`, at `position` (null: at the file's offset — with O_APPEND, its end), however short
 * the individual writes.
 */
export function writeFullySync(fd: number, buf: Uint8Array, position: number | null): void {
  let off = 0;
  while (off < buf.length)
    off += writeSync(fd, buf, off, buf.length - off, position === null ? null : position + off);
}

/** Writes `data` (a string, bytes, or a list of buffers written with writev) to `fd` from its start, completely. */
function writeAllSync(fd: number, data: string | Uint8Array | readonly Buffer[]): void {
  if (typeof data === "string" || data instanceof Uint8Array) {
    writeFullySync(fd, typeof data === "string" ? Buffer.from(data) : data, 0);
    return;
  }
  // writev in slices (IOV_MAX is 1024 on Linux); a short write falls back to writing the rest plainly.
  let position = 0;
  for (let i = 0; i < data.length; i += 1024) {
    const slice = data.slice(i, i + 1024) as Buffer[];
    let want = 0;
    for (const b of slice) want += b.length;
    const written = writevSync(fd, slice, position);
    if (written !== want) writeFullySync(fd, Buffer.concat(slice).subarray(written), position + written);
    position += want;
  }
}

/** Writes `data` to `tmp` (fsync), renames it over `target` and fsyncs the directory. */
export async function writeFileDurable(
  target: string,
  tmp: string,
  data: string | Uint8Array | readonly Buffer[],
): Promise<void> {
  const fd = openSync(tmp, "w");
  try {
    writeAllSync(fd, data);
    await syncFd(fd);
  } finally {
    closeSync(fd);
  }
  replaceFile(tmp, target);
  await fsyncDir(dirname(target));
}

/** Synchronous variant of {@link writeFileDurable} (recovery and maintenance paths, not the hot path). */
export function writeFileDurableSync(target: string, tmp: string, data: string | Uint8Array): void {
  const fd = openSync(tmp, "w");
  try {
    writeAllSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
  fsyncDirSync(dirname(target));
}
