// Generates a layered DAG (fan-in 1–3) of no-op tasks — the shape DESIGN §6 benchmarks use. Deterministic per seed.

/** mulberry32: a small seeded PRNG. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` tasks in layers of `width`; each task after the first layer depends on 1–3 tasks of the previous layer.
 * Returns [{ id, deps: [ids] }] in topological order.
 */
export function generateLayeredDag(count, { width = 50, seed = 1 } = {}) {
  const rand = prng(seed);
  const tasks = [];
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / width);
    const deps = [];
    if (layer > 0) {
      const prevStart = (layer - 1) * width;
      const fanIn = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < fanIn; k++) {
        const d = prevStart + Math.floor(rand() * width);
        const id = `t${String(d).padStart(5, "0")}`;
        if (!deps.includes(id)) deps.push(id);
      }
    }
    tasks.push({ id: `t${String(i).padStart(5, "0")}`, deps });
  }
  return tasks;
}

/** Writes the DAG as a weft repo: tasks/<ws>/<id>.json (+ weft.config.json). */
export async function writeWeftRepo(dir, tasks, { ws = "bench", command = "true", config = {} } = {}) {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  mkdirSync(join(dir, "tasks", ws), { recursive: true });
  for (const t of tasks) {
    const def = {
      schema_version: "2.0.0",
      task_id: t.id,
      workstream_id: ws,
      name: t.id,
      type: "custom",
      dependencies: t.deps,
      execution: { command, timeout_seconds: 600, max_retries: 0, retry_delay_seconds: 0 },
    };
    writeFileSync(join(dir, "tasks", ws, `${t.id}.json`), JSON.stringify(def));
  }
  writeFileSync(join(dir, "weft.config.json"), JSON.stringify({ schema_version: "1.0.0", ...config }));
}
