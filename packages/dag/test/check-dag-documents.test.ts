import { describe, expect, it } from "vitest";
import { checkDagDocuments, computePlans, type DagDocumentsInput, type PlanTask } from "../src/index.js";
import { sampleTasks } from "./sample-workstream.js";

const generatedAt = "2026-01-31T12:00:00.000Z";
const pathOf = (ws: string, kind: "dag" | "plan") =>
  kind === "dag" ? `.state/dag_${ws}.json` : `.state/execution_plan_${ws}.json`;

/** What `weft plan` would have written, as parsed JSON (a deep copy the test can damage). */
function written(tasks: PlanTask[]): DagDocumentsInput["documents"] {
  const result = computePlans(tasks, { workers: 2, generatedAt });
  return new Map(
    result.workstreams
      .filter((w) => w.dag)
      .map((w) => [
        w.workstreamId,
        {
          dag: { path: pathOf(w.workstreamId, "dag"), value: JSON.parse(JSON.stringify(w.dag)) },
          plan: { path: pathOf(w.workstreamId, "plan"), value: JSON.parse(JSON.stringify(w.plan)) },
        },
      ]),
  );
}

function check(tasks: PlanTask[], documents: DagDocumentsInput["documents"]) {
  return checkDagDocuments({
    tasks,
    documents,
    pathOf,
    locate: (_file, pointer) => ({ line: pointer.length + 1, column: 3 }),
  });
}

describe("checkDagDocuments (DAG-VIEW-001..003, COMPLIANCE-001)", () => {
  it("passes on what weft plan writes", () => {
    const tasks = sampleTasks();
    const result = check(tasks, written(tasks));
    expect(result.issues).toEqual([]);
    expect(result.results.every((r) => r.passed)).toBe(true);
  });

  it("reports missing files for every workstream", () => {
    const tasks = [...sampleTasks(), ...sampleTasks("second")];
    const docs = new Map(written(tasks));
    docs.delete("second");
    const result = check(tasks, docs);
    expect(result.issues.map((i) => [i.requirement, i.file])).toEqual([
      ["DAG-VIEW-001", ".state/dag_second.json"],
      ["DAG-VIEW-002", ".state/execution_plan_second.json"],
    ]);
    expect(result.results.map((r) => r.passed)).toEqual([false, false, true]);
    expect(result.issues[0]!.hint).toContain("weft plan");
  });

  it("reports documents that are no longer current (a task and a dependency added)", () => {
    const tasks = sampleTasks();
    const docs = written(tasks);
    const changed = [...tasks, { ...tasks[0]!, task_id: "new-task", dependencies: ["docs"] }];
    const messages = check(changed, docs).issues.map((i) => `${i.requirement} ${i.message}`);
    expect(messages).toContain("DAG-VIEW-001 not current: task new-task has no node");
    expect(messages).toContain(
      "DAG-VIEW-001 not current: dependency docs → new-task (new-task depends on docs) has no edge",
    );
    expect(messages).toContain("DAG-VIEW-002 not current: task new-task is in no stage");
  });

  it("reports a topological order that contradicts an edge, with file:line:column", () => {
    const tasks = sampleTasks();
    const docs = written(tasks);
    const dag = docs.get("feature-login")!.dag!.value as { topological_order: string[] };
    dag.topological_order.reverse();
    const issues = check(tasks, docs).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.requirement === "DAG-VIEW-001")).toBe(true);
    expect(issues[0]).toMatchObject({
      file: ".state/dag_feature-login.json",
      line: 3,
      column: 3,
      pointer: ["edges", 0],
    });
    expect(issues[0]!.message).toMatch(/topological_order puts .* before its prerequisite/);
  });

  it("reports schema violations and stages that are not longest-path levels", () => {
    const tasks = sampleTasks();
    const docs = written(tasks);
    (docs.get("feature-login")!.dag!.value as Record<string, unknown>).edges = [
      { from: "a", to: "b", type: "blocks" },
    ];
    const plan = docs.get("feature-login")!.plan!.value as {
      stages: { parallel_tasks: string[] }[];
      critical_path_tasks: string[];
    };
    plan.stages[4]!.parallel_tasks.push(plan.stages[3]!.parallel_tasks.pop()!); // move lint-backend one stage later
    plan.critical_path_tasks.reverse();
    const issues = check(tasks, docs).issues;
    const byReq = (r: string) => issues.filter((i) => i.requirement === r).map((i) => i.message);
    expect(byReq("DAG-VIEW-001")[0]).toContain("does not match the DAG schema");
    expect(byReq("DAG-VIEW-002")).toContain("lint-backend is in stage 4, but its longest-path level is 3");
    expect(byReq("DAG-VIEW-002").some((m) => m.startsWith("critical_path_tasks is not a chain"))).toBe(true);
  });

  it("reports cycles (ordered ids) and bad references under DAG-VIEW-003", () => {
    const tasks = sampleTasks();
    tasks[0] = { ...tasks[0]!, dependencies: ["e2e-tests", "ghost"] };
    const result = check(tasks, written(sampleTasks()));
    const dag3 = result.issues.filter((i) => i.requirement === "DAG-VIEW-003");
    expect(dag3.map((i) => i.message)).toContainEqual(
      expect.stringContaining("add-api → add-model → design-schema → e2e-tests → unit-tests → add-api"),
    );
    expect(dag3.some((i) => i.message.includes("ghost"))).toBe(true);
    expect(dag3[0]!.file).toBe("tasks/feature-login/design-schema.json");
    expect(result.results.find((r) => r.requirement === "DAG-VIEW-003")!.passed).toBe(false);
  });
});
