// What the bench and soak scripts share: their `--name value` options and the median they report.

/** The value after `--name` on the command line, else `def`. */
export function option(name, def) {
  const i = process.argv.indexOf(`--${name}`, 2);
  return i >= 0 ? process.argv[i + 1] : def;
}

/** The number after `--name` on the command line, else `def`. */
export function numberOption(name, def) {
  const value = option(name, undefined);
  return value === undefined ? def : Number(value);
}

/** The median of the numbers in `xs` (other entries, such as a failed run's null, are left out); null if none. */
export function median(xs) {
  const v = xs.filter((x) => typeof x === "number").sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}
