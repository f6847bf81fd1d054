import type { Csr } from "./internal/csr.js";
import type { PlanTask } from "./plan-task.js";

/**
 * A graph over integer node indices `0 … size-1`, stored as CSR in both directions.
 * Edges go from the prerequisite to the dependent (SPEC §8: `to` depends on `from`).
 */
export interface IndexedGraph {
  readonly size: number;
  readonly edgeCount: number;
  /** Node index → id. */
  readonly ids: readonly string[];
  /** Prerequisite → dependents. */
  readonly succ: Csr;
  /** Dependent → prerequisites. */
  readonly pred: Csr;
}

/** The task graph of one workstream: node `i` is `tasks[i]`. */
export interface TaskGraph extends IndexedGraph {
  readonly workstreamId: string;
  readonly tasks: readonly PlanTask[];
  /** Task id → node index. */
  readonly indexOf: ReadonlyMap<string, number>;
}
