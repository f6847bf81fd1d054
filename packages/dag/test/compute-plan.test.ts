import { DagDocument, ExecutionPlan } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import {
  buildTaskGraphs,
  collectSuccessfulDurations,
  compareSemver,
  computeMedian,
  computePlans,
  type PlanTask,
  resolveEstimates,
} from "../src/index.js";
import { sampleResources, sampleTasks } from "./sample-workstream.js";

const generatedAt = "2026-01-31T12:00:00.000Z";
const task = (task_id: string, dependencies: string[] = [], extra: Partial<PlanTask> = {}): PlanTask => ({
  task_id,
  workstream_id: "ws",
  name: task_id,
  type: "custom",
  dependencies,
  ...extra,
});

describe("computePlans (SPEC §8, DAG-VIEW-001/002)", () => {
  it("builds schema-valid documents with edges prerequisite → dependent and the critical path", () => {
    const result = computePlans(sampleTasks(), { workers: 2, generatedAt, resources: sampleResources });
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([]);
    const ws = result.workstreams[0]!;
    const dag = DagDocument.parse(ws.dag);
    const plan = ExecutionPlan.parse(ws.plan);
    expect(dag.edges).toContainEqual({ from: "add-model", to: "add-api", type: "depends_on" });
    expect(dag.topological_order[0]).toBe("design-schema");
    expect(dag.nodes.map((n) => n.task_id).sort()).toEqual(
      sampleTasks()
        .map((t) => t.task_id)
        .sort(),
    );
    expect(plan.critical_path_tasks).toEqual([
      "design-schema",
      "add-model",
      "add-api",
      "unit-tests",
      "e2e-tests",
    ]);
    // 90 + 120 (aider default) + 240 + 60 (pytest default) + 180
    expect(plan.critical_path_duration).toBe(690);
    expect(plan.total_estimated_duration).toBeGreaterThanOrEqual(690);
    expect(plan.stages.map((s) => s.parallel_tasks)).toEqual([
      ["design-schema"],
      ["add-model", "add-ui"],
      ["add-api", "migrate-db", "lint-frontend"],
      ["unit-tests", "docs", "lint-backend"],
      ["e2e-tests"],
    ]);
    expect(plan.stages[2]).toMatchObject({
      max_parallelism: 2,
      critical_path: ["add-api"],
      resource_requirements: { database: 1 },
    });
    expect(plan.stages[4]!.resource_requirements).toEqual({ browser: 1, database: 1 });
  });

  it("takes the union of dependencies and inverted blocks, warning about one-sided declarations", () => {
    const tasks = [
      task("a", [], { blocks: ["b", "c"] }),
      task("b", ["a"]),
      task("c"), // a blocks c, c does not list a
      task("d", ["a"]), // a uses blocks but does not list d
      task("e", ["b"]), // b never uses blocks: no warning
    ];
    const result = computePlans(tasks, { workers: 1, generatedAt });
    const dag = result.workstreams[0]!.dag!;
    expect(dag.edges).toContainEqual({ from: "a", to: "c", type: "depends_on" });
    expect(dag.edges.filter((e) => e.from === "a" && e.to === "b")).toHaveLength(1);
    const warnings = result.issues.filter((i) => i.kind === "one_sided_declaration").map((i) => i.task_id);
    expect(warnings.sort()).toEqual(["c", "d"]);
    expect(result.ok).toBe(true);
  });

  it("reports unknown and cross-workstream dependencies as errors, and duplicate ids", () => {
    const tasks = [
      task("a", ["ghost"]),
      task("b", ["x1"]),
      { ...task("x1"), workstream_id: "other" },
      task("a"),
    ];
    const result = computePlans(tasks, { workers: 1, generatedAt });
    expect(result.ok).toBe(false);
    const kinds = result.issues.map((i) => [i.kind, i.code, i.task_id]);
    expect(kinds).toContainEqual(["unknown_dependency", "DAG_UNKNOWN_DEPENDENCY", "a"]);
    expect(kinds).toContainEqual(["cross_workstream_dependency", "DAG_CROSS_WORKSTREAM", "b"]);
    expect(kinds).toContainEqual(["duplicate_task", "SCHEMA_INVALID", "a"]);
    expect(result.workstreams.map((w) => w.workstreamId)).toEqual(["other", "ws"]);
  });

  it("reports every cycle as its ordered ids and writes no documents for that workstream", () => {
    const tasks = [task("a", ["c"]), task("b", ["a"]), task("c", ["b"]), task("d", ["d"]), task("e", ["a"])];
    const result = computePlans(tasks, { workers: 1, generatedAt });
    const cycles = result.issues.filter((i) => i.kind === "dependency_cycle");
    expect(cycles.map((c) => c.cycle)).toEqual([["a", "c", "b"], ["d"]]);
    expect(cycles[0]).toMatchObject({
      severity: "critical",
      code: "DAG_CYCLE",
      event: "dependency_cycle_detected",
    });
    expect(cycles[0]!.message).toContain("a → c → b → a");
    expect(result.workstreams[0]!.dag).toBeUndefined();
    expect(result.ok).toBe(false);
  });

  it("checks the workstream depends_on graph: unknown workstreams and cycles", () => {
    const tasks = [task("a"), { ...task("b"), workstream_id: "w2" }];
    const result = computePlans(tasks, {
      workers: 1,
      generatedAt,
      workstreams: [
        { workstream_id: "ws", depends_on: ["w2"] },
        { workstream_id: "w2", depends_on: ["w3"] },
        { workstream_id: "w3", depends_on: ["ws", "nowhere"] },
      ],
    });
    expect(result.issues.find((i) => i.kind === "workstream_cycle")?.cycle).toEqual(["w2", "w3", "ws"]);
    expect(result.issues.find((i) => i.kind === "unknown_workstream")?.message).toContain("nowhere");
    expect(result.workstreams.map((w) => w.workstreamId)).toEqual(["w2", "w3", "ws"]);
    expect(result.workstreams[1]!.plan?.stages).toEqual([]);
    const ordered = computePlans(tasks, {
      workers: 1,
      generatedAt,
      workstreams: [{ workstream_id: "ws", depends_on: ["w2"] }],
    });
    expect(ordered.workstreamOrder).toEqual(["w2", "ws"]);
  });

  it("reports capabilities no worker offers, old versions, deprecated and unknown capabilities", () => {
    const tasks = [
      task("a", [], { worker_requirements: { capabilities: ["git_operations", "aider"] } }),
      task("b", [], { worker_requirements: { capabilities: ["OldLint"] } }),
      task("c", [], { worker_requirements: { capabilities: ["python"], min_version: "3.12.0" } }),
      task("d", [], { worker_requirements: { capabilities: ["mystery"] } }),
    ];
    const result = computePlans(tasks, {
      workers: 2,
      generatedAt,
      capabilities: [
        { CapabilityId: "git", Name: "GitOperations", Version: "1.0.0" },
        { CapabilityId: "aider", Name: "Aider", Version: "1.0.0" },
        {
          CapabilityId: "old-lint",
          Name: "OldLint",
          Version: "1.0.0",
          Stability: "deprecated",
          DeprecatedBy: "ruff",
        },
        { CapabilityId: "python", Name: "Python", Version: "1.0.0" },
      ],
      offers: [
        { name: "git", version: "2.43.0" },
        { name: "OldLint", version: "1.0.0" },
        { name: "python", version: "3.11.2" },
        { name: "mystery" },
      ],
    });
    const by = (kind: string) => result.issues.filter((i) => i.kind === kind);
    expect(by("no_capable_worker").map((i) => i.message)).toEqual([
      "no worker offers capability aider, needed by task a",
    ]);
    expect(by("capability_version_too_low")[0]!.message).toContain("3.12.0");
    expect(by("deprecated_capability")[0]).toMatchObject({
      severity: "warning",
      hint: "require ruff instead of OldLint",
    });
    expect(by("deprecated_capability")[0]!.message).toContain("DeprecatedBy: ruff");
    expect(by("unknown_capability").map((i) => i.task_id)).toEqual(["d"]);
    expect(result.ok).toBe(false);
  });

  it("reports unknown resources and requests larger than the registry allows", () => {
    const tasks = [
      task("a", [], { resource_requirements: { gpu: 4 } }),
      task("b", [], { resource_requirements: { nowhere: "exclusive" } }),
      task("c", [], { resource_requirements: { api: "exclusive" } }),
    ];
    const result = computePlans(tasks, {
      workers: 2,
      generatedAt,
      resources: [
        { ResourceId: "gpu", Type: "pooled", MaxHolders: 2 },
        { ResourceId: "api", Type: "rate_limited", MaxHolders: 5, RefillRate: "1/second" },
      ],
    });
    const kinds = result.issues.map((i) => [i.kind, i.severity, i.task_id]);
    expect(kinds).toContainEqual(["resource_request_too_large", "error", "a"]);
    expect(kinds).toContainEqual(["unknown_resource", "error", "b"]);
    expect(kinds).toContainEqual(["resource_mode_ignored", "warning", "c"]);
    expect(result.ok).toBe(false);
    // The plan is still computed (the unsatisfiable requests are left out of the simulation).
    expect(result.workstreams[0]!.plan!.total_estimated_duration).toBe(60); // 3 × 30 s on 2 workers
  });

  it("copes with hundreds of thousands of problems (no argument-spread limits)", () => {
    const tasks = Array.from({ length: 210_000 }, (_, i) => task(`t${i}`, [`missing${i}`]));
    const result = computePlans(tasks, { workers: 2, generatedAt, documents: false });
    expect(result.issues.filter((i) => i.kind === "unknown_dependency")).toHaveLength(210_000);
    expect(result.ok).toBe(false);
  });

  it("simulates the makespan with workers and an exclusive resource", () => {
    const tasks = ["a", "b", "c", "d"].map((id) =>
      task(id, [], {
        estimated_duration_seconds: 10,
        resource_requirements: id === "d" ? {} : { db: "exclusive" },
      }),
    );
    const plan = (workers: number) =>
      computePlans(tasks, { workers, generatedAt, resources: [{ ResourceId: "db", Type: "exclusive" }] })
        .workstreams[0]!.plan!;
    expect(plan(4).total_estimated_duration).toBe(30);
    expect(plan(4).stages[0]!.max_parallelism).toBe(2);
    expect(plan(1).total_estimated_duration).toBe(40);
    expect(plan(4).critical_path_duration).toBe(10);
  });
});

describe("compareSemver", () => {
  it("orders versions numerically, pre-releases first, build metadata ignored", () => {
    expect(compareSemver("3.11.2", "3.12.0")).toBe(-1);
    expect(compareSemver("10.0.0", "9.9.9")).toBe(1);
    expect(compareSemver("1.0.0-rc.1", "1.0.0")).toBe(-1);
    expect(compareSemver("1.0.0+build-7", "1.0.0")).toBe(0);
    expect(compareSemver("v2.1", "2.1.0")).toBe(0);
  });
});

describe("estimates (SPEC §8)", () => {
  it("uses the task's estimate, else the median of past successful runs, else the per-type default", () => {
    const history = collectSuccessfulDurations([
      {
        event: "task_completed",
        entity_type: "task",
        task_id: "b",
        workstream_id: "ws",
        metadata: { duration_seconds: 10 },
      },
      {
        event: "task_completed",
        entity_type: "task",
        task_id: "b",
        workstream_id: "ws",
        metadata: { duration_seconds: 30 },
      },
      {
        event: "task_state_transition",
        to_state: "completed",
        entity_type: "task",
        entity_id: "b",
        workstream_id: "ws",
        metadata: { duration_seconds: 20 },
      },
      { event: "task_failed", task_id: "b", workstream_id: "ws", metadata: { duration_seconds: 999 } },
      {
        event: "task_completed",
        task_id: "b",
        workstream_id: "elsewhere",
        metadata: { duration_seconds: 999 },
      },
      "garbage",
      null,
    ]);
    const graph = buildTaskGraphs([
      task("a", [], { estimated_duration_seconds: 7 }),
      task("b"),
      task("c", [], { type: "lint" }),
      task("d", [], { type: "unknown-type" }),
    ]).graphs[0]!;
    const est = resolveEstimates("ws", graph.tasks, {
      history,
      secondsByType: { lint: 15 },
      fallbackSeconds: 42,
    });
    expect(Array.from(est.seconds)).toEqual([7, 20, 15, 42]);
    expect(Array.from(est.source)).toEqual([0, 1, 2, 2]);
  });

  it("computes medians of odd and even counts", () => {
    expect(computeMedian([3, 1, 2])).toBe(2);
    expect(computeMedian([4, 1, 3, 2])).toBe(2.5);
    expect(() => computeMedian([])).toThrow();
  });
});
