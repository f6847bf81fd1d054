import { open, stat } from "node:fs/promises";

/** Reads the complete lines appended to a file since the last call (a `tail -F` by polling). */
export interface LogFollower {
  /** The complete new lines (without `\n`). A torn last line is kept until its newline arrives. */
  read(): Promise<string[]>;
  /** Byte offset up to which complete lines were returned. */
  readonly offset: number;
}

const CHUNK = 4 * 1024 * 1024;

/**
 * Follows `.state/transitions.jsonl` (STATE-OBS-002) by polling its size: each `read()` returns the complete lines
 * appended since the previous one. When the file shrinks or is replaced (rotation, AUDIT-002), reading starts over
 * at byte 0 — callers drop events whose `seq` they have already seen. A missing file reads as empty.
 */
export function createLogFollower(file: string, options: { fromEnd?: boolean } = {}): LogFollower {
  let offset = 0;
  let ino: number | undefined;
  let pending: Buffer = Buffer.alloc(0);
  let started = options.fromEnd !== true;
  return {
    get offset() {
      return offset;
    },
    async read() {
      let st: Awaited<ReturnType<typeof stat>>;
      try {
        st = await stat(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") {
          started = true;
          return [];
        }
        throw e;
      }
      if (!started) {
        started = true;
        ino = st.ino;
        offset = st.size;
        return [];
      }
      if ((ino !== undefined && st.ino !== ino) || st.size < offset + pending.length) {
        offset = 0;
        pending = Buffer.alloc(0);
      }
      ino = st.ino;
      const from = offset + pending.length;
      if (st.size <= from) return [];
      const lines: string[] = [];
      const fh = await open(file, "r");
      try {
        let at = from;
        while (at < st.size) {
          const len = Math.min(CHUNK, st.size - at);
          const buf = Buffer.alloc(len);
          const { bytesRead } = await fh.read(buf, 0, len, at);
          if (bytesRead === 0) break;
          at += bytesRead;
          let data =
            pending.length > 0
              ? Buffer.concat([pending, buf.subarray(0, bytesRead)])
              : buf.subarray(0, bytesRead);
          let start = 0;
          for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
            const text = data.toString("utf8", start, nl).trim();
            if (text !== "") lines.push(text);
            offset += nl + 1 - start;
            start = nl + 1;
          }
          data = data.subarray(start);
          pending = Buffer.from(data);
        }
      } finally {
        await fh.close();
      }
      return lines;
    },
  };
}
