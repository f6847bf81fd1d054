import { createReadStream } from "node:fs";

/**
 * Streams a file line by line (never reading it whole into one string): yields each line's text (without the
 * newline and a trailing CR), its 1-based number and whether it ended with a newline (the last line of a torn
 * write does not). Only the piece of a line that spans two chunks is copied.
 */
export async function* readLines(
  path: string,
  signal?: AbortSignal,
): AsyncGenerator<{ text: string; line: number; terminated: boolean }> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  let carry: Buffer[] = [];
  let line = 0;
  const text = (buf: Buffer, start: number, end: number): string =>
    buf.toString("utf8", start, end > start && buf[end - 1] === 13 ? end - 1 : end);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    if (carry.length > 0) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        carry.push(chunk);
        continue;
      }
      const joined = Buffer.concat([...carry, chunk.subarray(0, nl)]);
      carry = [];
      line++;
      yield { text: text(joined, 0, joined.length), line, terminated: true };
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      line++;
      yield { text: text(chunk, start, nl), line, terminated: true };
      start = nl + 1;
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
  }
  if (carry.length > 0) {
    const rest = Buffer.concat(carry);
    line++;
    yield { text: text(rest, 0, rest.length), line, terminated: false };
  }
}
