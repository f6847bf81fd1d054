import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DagDocument, ExecutionPlan } from "@weft/core-schema";
import { checkDagDocuments } from "@weft/dag";
import { describe, expect, it } from "vitest";
import { runWeft } from "./run-weft.js";

interface T {
  id: string;
  deps?: string[];
  ws?: string;
  type?: string;
  seconds?: number;
  extra?: Record<string, unknown>;
}

/** A repo on disk: task files under tasks/<ws>/, plus optional registries and .state files. */
function repo(tasks: T[], files: Record<string, string> = {}): string {
  const cwd = mkdtempSync(join(tmpdir(), "weft-plan-"));
  for (const t of tasks) {
    const ws = t.ws ?? "ws1";
    mkdirSync(join(cwd, "tasks", ws), { recursive: true });
    const def = {
      schema_version: "2.0.0",
      task_id: t.id,
      workstream_id: ws,
      name: `Task ${t.id}`,
      type: t.type ?? "custom",
      dependencies: t.deps ?? [],
      ...(t.seconds !== undefined ? { estimated_duration_seconds: t.seconds } : {}),
      execution: { command: "node -e 0" },
      ...t.extra,
    };
    writeFileSync(join(cwd, "tasks", ws, `${t.id}.json`), JSON.stringify(def, null, 2));
  }
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(cwd, rel, ".."), { recursive: true });
    writeFileSync(join(cwd, rel), text);
  }
  return cwd;
}

const read = (cwd: string, rel: string): unknown => JSON.parse(readFileSync(join(cwd, rel), "utf8"));

describe("weft plan", () => {
  it("writes schema-valid, current documents per workstream and prints stages and the critical path", async () => {
    const cwd = repo([
      { id: "a", seconds: 10 },
      { id: "b", deps: ["a"], seconds: 20 },
      { id: "c", deps: ["a"], seconds: 5 },
      { id: "d", deps: ["b", "c"], seconds: 1 },
      { id: "x", ws: "ws2", seconds: 3 },
    ]);
    const r = await runWeft(["plan", "--workers", "2"], { cwd });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ws1: 4 tasks, 4 dependencies, 3 stages");
    expect(r.stdout).toContain("critical path (*): a → b → d");
    expect(r.stdout).toContain("estimated 31s with 2 workers; critical path 31s");
    expect(r.stdout).toContain(
      "wrote .state/dag_ws1.json, .state/execution_plan_ws1.json, .state/dag_ws2.json",
    );
    const dag = DagDocument.parse(read(cwd, ".state/dag_ws1.json"));
    const plan = ExecutionPlan.parse(read(cwd, ".state/execution_plan_ws1.json"));
    expect(dag.generated_at).toBe("2026-01-02T03:04:05.678Z");
    expect(dag.topological_order).toEqual(["a", "b", "c", "d"]);
    expect(plan.stages.map((s) => s.parallel_tasks)).toEqual([["a"], ["b", "c"], ["d"]]);
    const tasks = ["a", "b", "c", "d"].map(
      (id) => read(cwd, `tasks/ws1/${id}.json`) as { task_id: string; workstream_id: string },
    );
    const check = checkDagDocuments({
      tasks: [...tasks, read(cwd, "tasks/ws2/x.json") as { task_id: string; workstream_id: string }],
      documents: new Map(
        ["ws1", "ws2"].map((ws) => [
          ws,
          {
            dag: { path: `.state/dag_${ws}.json`, value: read(cwd, `.state/dag_${ws}.json`) },
            plan: {
              path: `.state/execution_plan_${ws}.json`,
              value: read(cwd, `.state/execution_plan_${ws}.json`),
            },
          },
        ]),
      ),
      pathOf: (ws, kind) => `.state/${kind === "dag" ? "dag" : "execution_plan"}_${ws}.json`,
    });
    expect(check.issues).toEqual([]);
  });

  it("uses live statuses from .state/current.json and medians of past runs from transitions.jsonl", async () => {
    const line = (task: string, seconds: number) =>
      JSON.stringify({
        event: "task_completed",
        entity_type: "task",
        entity_id: task,
        task_id: task,
        workstream_id: "ws1",
        to_state: "completed",
        metadata: { duration_seconds: seconds },
      });
    const cwd = repo(
      [
        { id: "a", type: "lint" },
        { id: "b", deps: ["a"] },
      ],
      {
        ".state/current.json": JSON.stringify({
          schema_version: "1.0.0",
          seq: 3,
          tasks: [{ task_id: "a", workstream_id: "ws1", status: "completed" }],
        }),
        ".state/transitions.jsonl": `${[line("a", 4), line("a", 100), line("a", 6), line("b", 8)].join("\n")}\n{"torn`,
      },
    );
    const r = await runWeft(["plan", "--json"], { cwd });
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as {
      workstreams: { critical_path_duration: number; estimate_sources: Record<string, number> }[];
    };
    expect(data.workstreams[0]!.critical_path_duration).toBe(14); // median(4, 100, 6) + 8
    expect(data.workstreams[0]!.estimate_sources).toEqual({ task: 0, history: 2, default: 0 });
    const dag = DagDocument.parse(read(cwd, ".state/dag_ws1.json"));
    expect(dag.nodes.map((n) => [n.task_id, n.status])).toEqual([
      ["a", "completed"],
      ["b", "pending"],
    ]);
  });

  it("exits 1 on a cycle, naming it in order, and writes nothing for that workstream", async () => {
    const cwd = repo([
      { id: "a", deps: ["c"] },
      { id: "b", deps: ["a"] },
      { id: "c", deps: ["b"] },
      { id: "ok", ws: "ws2" },
    ]);
    const r = await runWeft(["plan"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("ws1: 3 tasks, 3 dependencies — not planned: 1 dependency cycle");
    expect(r.stdout).toContain(
      "dependency cycle in workstream ws1: a → c → b → a (each depends on the next)",
    );
    expect(r.stdout).toContain("plan has 1 error");
    expect(() => read(cwd, ".state/dag_ws1.json")).toThrow();
    expect(DagDocument.parse(read(cwd, ".state/dag_ws2.json")).nodes).toHaveLength(1);
  });

  it("reports unknown dependencies, resources and capabilities before anything runs", async () => {
    const cwd = repo(
      [
        { id: "a", deps: ["ghost"] },
        {
          id: "b",
          extra: { resource_requirements: { gpu: 9 }, worker_requirements: { capabilities: ["cuda"] } },
        },
      ],
      {
        "capabilities/resources.json": JSON.stringify([{ ResourceId: "gpu", Type: "pooled", MaxHolders: 2 }]),
      },
    );
    const r = await runWeft(["plan", "--json"], { cwd });
    expect(r.code).toBe(1);
    const data = JSON.parse(r.stdout) as { problems: { kind: string }[]; files: string[] };
    expect(data.problems.map((p) => p.kind).sort()).toEqual([
      "no_capable_worker",
      "resource_request_too_large",
      "unknown_capability",
      "unknown_dependency",
    ]);
    expect(data.files).toContain(".state/dag_ws1.json");
  });

  it("rejects an unknown workstream and a bad --workers with exit 2", async () => {
    const cwd = repo([{ id: "a" }]);
    expect((await runWeft(["plan", "--workstream", "nope"], { cwd })).code).toBe(2);
    expect((await runWeft(["plan", "--workers", "0"], { cwd })).code).toBe(2);
    const outside = mkdtempSync(join(tmpdir(), "weft-plan-empty-"));
    const r = await runWeft(["plan"], { cwd: outside });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("LOADER_NOT_A_REPO");
  });
});

describe("weft graph", () => {
  const tasks: T[] = [
    { id: "a" },
    { id: "b", deps: ["a"] },
    { id: "c", deps: ["a"] },
    { id: "d", deps: ["b", "c"] },
  ];

  it("writes SVG and self-contained HTML files, colored by the live status", async () => {
    const cwd = repo(tasks, {
      ".state/current.json": JSON.stringify({
        schema_version: "1.0.0",
        seq: 1,
        tasks: [{ task_id: "a", workstream_id: "ws1", status: "failed" }],
      }),
    });
    const r = await runWeft(["graph", "--format", "svg", "-o", "dag.svg"], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("wrote dag.svg (svg, 1 workstream)\n");
    const svg = readFileSync(join(cwd, "dag.svg"), "utf8");
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain('class="node status-failed critical"');
    const html = await runWeft(["graph", "-o", "dag.html"], { cwd });
    expect(html.code).toBe(0);
    const page = readFileSync(join(cwd, "dag.html"), "utf8");
    expect(page).toContain("<!DOCTYPE html>");
    expect(page).not.toMatch(/https?:/);
  });

  it("prints Mermaid and DOT to stdout", async () => {
    const cwd = repo(tasks);
    const mermaid = await runWeft(["graph", "--format", "mermaid"], { cwd });
    expect(mermaid.stdout.startsWith("flowchart TD\n")).toBe(true);
    expect(mermaid.stdout).toContain("w0_t0 --> w0_t1");
    const dot = await runWeft(["graph", "--format", "dot", "--workstream", "ws1"], { cwd });
    expect(dot.stdout.startsWith("digraph weft {")).toBe(true);
  });

  it("says on stderr when it draws a summary above the size limit", async () => {
    const many: T[] = Array.from({ length: 40 }, (_, i) => ({
      id: `t${i}`,
      deps: i > 0 ? [`t${i - 1}`] : [],
    }));
    const cwd = repo(many);
    const r = await runWeft(["graph", "--format", "svg", "--max-nodes", "10"], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "weft: ws1: 40 tasks exceed the drawing limit of 10: one box per stage is drawn",
    );
    expect(r.stdout).toContain(">stage 39</text>");
  });

  it("needs a format", async () => {
    const cwd = repo(tasks);
    const r = await runWeft(["graph"], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--format is required");
  });
});
