import { describe, expect, it } from "vitest";
import { computeMetrics } from "./compute-metrics.js";
import { renderDashboardHtml } from "./render-dashboard-html.js";
import { renderWorkstreamGraphs } from "./render-workstream-graphs.js";
import { modelOf } from "./test-fixtures.js";

type Snap = Parameters<typeof renderWorkstreamGraphs>[0];

function task(id: string, ws: string, status: string, deps: string[] = [], name = id): Snap["tasks"][number] {
  return {
    task_id: id,
    workstream_id: ws,
    name,
    type: "custom",
    status: status as Snap["tasks"][number]["status"],
    critical: true,
    priority: 0,
    dependencies: deps,
    max_retries: 0,
    retry_count: 0,
    attempt: 0,
    created_at: null,
    started_at: null,
    completed_at: null,
    assigned_worker: null,
    last_error: null,
    duration_seconds: null,
    tokens_used: 0,
    cost_usd: 0,
  };
}

describe("renderWorkstreamGraphs (DAG per workstream for the dashboard)", () => {
  it("draws one node per task with data-task/data-status and one edge per dependency, prerequisite → dependent", () => {
    const [g] = renderWorkstreamGraphs({
      workstreams: [],
      tasks: [
        task("a", "ws", "completed"),
        task("b", "ws", "running", ["a"]),
        task("c", "ws", "pending", ["a", "b", "elsewhere"]),
      ],
    });
    expect(g).toMatchObject({
      workstreamId: "ws",
      status: "planned",
      taskCount: 3,
      counts: { completed: 1, running: 1, pending: 1 },
    });
    expect(g!.svg.match(/<g class="node"/g)).toHaveLength(3);
    expect(g!.svg).toContain('data-task="b" data-status="running"');
    const edges = [...g!.svg.matchAll(/data-from="([^"]+)" data-to="([^"]+)"/g)]
      .map((m) => `${m[1]}>${m[2]}`)
      .sort();
    expect(edges).toEqual(["a>b", "a>c", "b>c"]);
    // Inline SVG without a namespace URL: the page names no external address.
    expect(g!.svg).not.toContain("http");
  });

  it("escapes names (no markup injection) and keeps workstreams in snapshot order", () => {
    const graphs = renderWorkstreamGraphs({
      workstreams: [
        {
          workstream_id: "z",
          name: "",
          status: "executing",
          depends_on: [],
          isolation: "none",
          branch: null,
          worktree: null,
          started_at: null,
          completed_at: null,
          last_error: null,
        },
      ],
      tasks: [task("t1", "a", "queued", [], '<script>alert("x")</script>'), task("t2", "z", "failed")],
    });
    expect(graphs.map((g) => [g.workstreamId, g.status])).toEqual([
      ["z", "executing"],
      ["a", "planned"],
    ]);
    const html = renderDashboardHtml({
      nonce: "n0nce",
      graphs,
      seq: 3,
      metrics: computeMetrics(modelOf([]), { errors: {} }, new Date(0)),
      run: null,
    });
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script nonce="n0nce">');
    expect(html).toContain('<body data-seq="3">');
  });

  it("shows counts only above the drawing limit, and reuses cached layouts", () => {
    const tasks = Array.from({ length: 5 }, (_, i) =>
      task(`t${i}`, "big", "pending", i ? [`t${i - 1}`] : []),
    );
    const [big] = renderWorkstreamGraphs({ workstreams: [], tasks }, { maxNodes: 4 });
    expect(big!.svg).toBe("");
    expect(big!.note).toContain("5 tasks exceed the drawing limit of 4");
    const cache = new Map();
    const first = renderWorkstreamGraphs({ workstreams: [], tasks }, { cache });
    expect(cache.size).toBe(1);
    const again = renderWorkstreamGraphs(
      { workstreams: [], tasks: tasks.map((t) => ({ ...t, status: "completed" as const })) },
      { cache },
    );
    expect(cache.size).toBe(1);
    expect(again[0]!.svg).toContain('data-status="completed"');
    expect(again[0]!.svg.replace(/completed/g, "pending")).toBe(first[0]!.svg);
  });
});
