import { type CompiledResources, REQ_EXCLUSIVE } from "../compile-resources.js";

const EPS = 1e-9;

/** Live holdings of every resource during a simulation: all-or-none acquisition (SPEC §7). */
export class ResourceBook {
  readonly holders: Int32Array;
  readonly used: Float64Array;
  readonly exclusive: Uint8Array;
  private readonly tokens: Float64Array;
  private readonly tokensAt: Float64Array;

  constructor(private readonly res: CompiledResources) {
    const R = res.ids.length;
    this.holders = new Int32Array(R);
    this.used = new Float64Array(R);
    this.exclusive = new Uint8Array(R);
    this.tokens = Float64Array.from(res.capacity);
    this.tokensAt = new Float64Array(R);
  }

  /** Tokens in bucket `r` at time `t` (rate_limited), after refilling. */
  tokensAtTime(r: number, t: number): number {
    const cap = this.res.capacity[r]!;
    if (cap === Number.POSITIVE_INFINITY) return cap;
    const dt = t - this.tokensAt[r]!;
    if (dt > 0) {
      this.tokens[r] = Math.min(cap, this.tokens[r]! + dt * this.res.rate[r]!);
      this.tokensAt[r] = t;
    }
    return this.tokens[r]!;
  }

  /** The resource that keeps task `v` from starting at time `t`, or -1 when all its requests fit. */
  blocker(v: number, t: number): number {
    const res = this.res;
    for (let k = res.reqOffsets[v]!; k < res.reqOffsets[v + 1]!; k++) {
      const r = res.reqRes[k]!;
      const amount = res.reqAmount[k]!;
      if (res.isRate[r]) {
        if (this.tokensAtTime(r, t) + EPS < amount) return r;
        continue;
      }
      if (this.exclusive[r]) return r;
      const c0 = res.conflictOffsets[r]!;
      const c1 = res.conflictOffsets[r + 1]!;
      for (let c = c0; c < c1; c++) if (this.exclusive[res.conflicts[c]!]) return res.conflicts[c]!;
      if (res.reqKind[k] === REQ_EXCLUSIVE) {
        if (this.holders[r]! > 0) return r;
        for (let c = c0; c < c1; c++) if (this.holders[res.conflicts[c]!]! > 0) return res.conflicts[c]!;
      } else if (this.used[r]! + amount > res.capacity[r]! + EPS) {
        return r;
      }
    }
    return -1;
  }

  acquire(v: number, t: number): void {
    const res = this.res;
    for (let k = res.reqOffsets[v]!; k < res.reqOffsets[v + 1]!; k++) {
      const r = res.reqRes[k]!;
      if (res.isRate[r]) {
        this.tokensAtTime(r, t);
        this.tokens[r] = this.tokens[r]! - res.reqAmount[k]!;
        continue;
      }
      this.holders[r] = this.holders[r]! + 1;
      if (res.reqKind[k] === REQ_EXCLUSIVE) this.exclusive[r] = 1;
      else this.used[r] = this.used[r]! + res.reqAmount[k]!;
    }
  }

  /** Releases task `v`'s holdings (tokens are consumed, not returned) and calls `freed(r)` for each resource. */
  release(v: number, freed: (r: number) => void): void {
    const res = this.res;
    for (let k = res.reqOffsets[v]!; k < res.reqOffsets[v + 1]!; k++) {
      const r = res.reqRes[k]!;
      if (res.isRate[r]) continue;
      this.holders[r] = this.holders[r]! - 1;
      if (res.reqKind[k] === REQ_EXCLUSIVE) this.exclusive[r] = 0;
      else this.used[r] = this.used[r]! - res.reqAmount[k]!;
      freed(r);
    }
  }

  /** Room left in resource `r` at time `t`: tokens for a bucket, free units/slots otherwise (0 while held exclusively). */
  room(r: number, t: number): number {
    if (this.res.isRate[r]) return this.tokensAtTime(r, t);
    if (this.exclusive[r]) return 0;
    return this.res.capacity[r]! - this.used[r]!;
  }

  /** Task `v`'s request on `r`: [kind, amount], or undefined when it asks nothing of `r` (blocked by a conflict). */
  requestOn(v: number, r: number): { kind: number; amount: number } | undefined {
    const res = this.res;
    for (let k = res.reqOffsets[v]!; k < res.reqOffsets[v + 1]!; k++) {
      if (res.reqRes[k] === r) return { kind: res.reqKind[k]!, amount: res.reqAmount[k]! };
    }
    return undefined;
  }

  /** Seconds until bucket `r` holds `amount` tokens, from time `t` (Infinity when it never refills). */
  waitForTokens(r: number, amount: number, t: number): number {
    const have = this.tokensAtTime(r, t);
    const rate = this.res.rate[r]!;
    if (have + EPS >= amount) return 0;
    // At least a microsecond, so a wake-up always moves the clock forward.
    return rate > 0 ? Math.max(1e-6, (amount - have) / rate) : Number.POSITIVE_INFINITY;
  }
}
