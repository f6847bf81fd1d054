import { isIP } from "node:net";

/**
 * True for a host that only this machine can reach: `localhost`, `127.0.0.0/8`, `::1` (DESIGN §7: `weft serve`
 * binds there unless told otherwise; anything else needs a token). Pure.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(h);
  return false;
}
