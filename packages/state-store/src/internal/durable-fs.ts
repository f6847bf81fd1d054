import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";

/** fsync a directory so a rename inside it is durable (STATE-OBS-003). */
export async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, "r");
  try {
    await h.sync();
  } finally {
    await h.close();
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

/** Writes `data` to `tmp` (fsync), renames it over `target` and fsyncs the directory. */
export async function writeFileDurable(
  target: string,
  tmp: string,
  data: string | Uint8Array,
): Promise<void> {
  const h = await open(tmp, "w");
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
  await rename(tmp, target);
  await fsyncDir(dirname(target));
}

/** Synchronous variant of {@link writeFileDurable} (recovery and maintenance paths, not the hot path). */
export function writeFileDurableSync(target: string, tmp: string, data: string | Uint8Array): void {
  const fd = openSync(tmp, "w");
  try {
    const buf = typeof data === "string" ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
  fsyncDirSync(dirname(target));
}
