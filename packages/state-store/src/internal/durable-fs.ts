import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { type FileHandle, open, rename } from "node:fs/promises";
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

/** Writes `data` (a string, bytes, or a list of buffers written with writev) to a fresh file handle, completely. */
async function writeAll(h: FileHandle, data: string | Uint8Array | readonly Buffer[]): Promise<void> {
  if (typeof data === "string" || data instanceof Uint8Array) {
    await h.writeFile(data);
    return;
  }
  // writev in slices (IOV_MAX is 1024 on Linux); a short write falls back to writing the rest plainly.
  let position = 0;
  for (let i = 0; i < data.length; i += 1024) {
    const slice = data.slice(i, i + 1024) as Buffer[];
    let want = 0;
    for (const b of slice) want += b.length;
    const { bytesWritten } = await h.writev(slice, position);
    if (bytesWritten !== want) {
      const rest = Buffer.concat(slice).subarray(bytesWritten);
      let off = 0;
      while (off < rest.length) {
        const r = await h.write(rest, off, rest.length - off, position + bytesWritten + off);
        off += r.bytesWritten;
      }
    }
    position += want;
  }
}

/** Writes `data` to `tmp` (fsync), renames it over `target` and fsyncs the directory. */
export async function writeFileDurable(
  target: string,
  tmp: string,
  data: string | Uint8Array | readonly Buffer[],
): Promise<void> {
  const h = await open(tmp, "w");
  try {
    await writeAll(h, data);
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
