/**
 * execa, imported on first use. `weft run --isolation none` makes no git calls and runs no bootstrap, so it never
 * loads execa's ~100 modules (~130 ms of start-up on the benchmark machine, DESIGN §6).
 */
let execaModule: Promise<typeof import("execa")> | undefined;

export function loadExeca(): Promise<typeof import("execa")> {
  execaModule ??= import("execa");
  return execaModule;
}
