import { createReadStream } from "node:fs";

/**
 * Streams a file line by line (never reading it whole into one string): yields each line's text (without the
 * newline), its 1-based number and whether it ended with a newline (the last line of a torn write does not).
 */
export async function* readLines(
  path: string,
  signal?: AbortSignal,
): AsyncGenerator<{ text: string; line: number; terminated: boolean }> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  let carry: Buffer | null = null;
  let line = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl === -1) break;
      line++;
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      yield { text: buf.toString("utf8", start, end), line, terminated: true };
      start = nl + 1;
    }
    carry = start < buf.length ? buf.subarray(start) : null;
    buf = Buffer.alloc(0);
  }
  if (carry && carry.length > 0) {
    line++;
    yield { text: carry.toString("utf8"), line, terminated: false };
  }
}
