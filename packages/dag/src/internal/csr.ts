/**
 * Compressed sparse row adjacency: the neighbours of node `v` are
 * `targets[offsets[v] .. offsets[v + 1])`. Built once, read many times, no per-node objects.
 */
export interface Csr {
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

/** Builds the CSR of `n` nodes from parallel edge arrays (`from[i] → to[i]`, first `m` entries). */
export function buildCsr(n: number, from: Int32Array, to: Int32Array, m: number): Csr {
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) {
    const k = from[i]! + 1;
    offsets[k] = offsets[k]! + 1;
  }
  for (let v = 0; v < n; v++) offsets[v + 1] = offsets[v + 1]! + offsets[v]!;
  const cursor = offsets.slice(0, n);
  const targets = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const f = from[i]!;
    const at = cursor[f]!;
    cursor[f] = at + 1;
    targets[at] = to[i]!;
  }
  return { offsets, targets };
}

/** The reverse of a CSR adjacency: `u → v` becomes `v → u`. Lists come out in ascending source order. */
export function invertCsr(n: number, offsets: Int32Array, targets: Int32Array): Csr {
  const m = offsets[n]!;
  const out = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    const at = targets[k]! + 1;
    out[at] = out[at]! + 1;
  }
  for (let v = 0; v < n; v++) out[v + 1] = out[v + 1]! + out[v]!;
  const cursor = out.slice(0, n);
  const inverted = new Int32Array(m);
  for (let v = 0; v < n; v++) {
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      const u = targets[k]!;
      const at = cursor[u]!;
      cursor[u] = at + 1;
      inverted[at] = v;
    }
  }
  return { offsets: out, targets: inverted };
}
