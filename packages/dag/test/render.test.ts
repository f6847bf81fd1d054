import { execFileSync, spawnSync } from "node:child_process";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  CRITICAL_COLOR,
  computePlans,
  createGraphView,
  type GraphView,
  type PlanTask,
  renderDot,
  renderHtml,
  renderMermaid,
  renderSvg,
  STATUS_COLORS,
} from "../src/index.js";
import { generateLayered } from "./generate-layered.js";
import { sampleResources, sampleTasks } from "./sample-workstream.js";

const generatedAt = "2026-01-31T12:00:00.000Z";
const live: Record<string, string> = {
  "design-schema": "completed",
  "add-model": "running",
  "add-ui": "failed",
};

function sampleView(tasks: PlanTask[] = sampleTasks()): GraphView {
  const result = computePlans(tasks, { workers: 2, generatedAt, resources: sampleResources });
  return createGraphView(result.workstreams[0]!, { statusOf: (_ws, id) => live[id] });
}

function expectWellFormed(xml: string): void {
  const verdict = XMLValidator.validate(xml);
  expect(verdict).toBe(true);
}

const hasDot = spawnSync("dot", ["-V"]).status === 0;

describe("pictures (weft graph)", () => {
  it("SVG is well-formed XML, colored by status, with the critical path highlighted", () => {
    const svg = renderSvg([sampleView()]);
    expectWellFormed(svg);
    expect(
      svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'),
    ).toBe(true);
    for (const id of sampleTasks().map((t) => t.task_id)) expect(svg).toContain(`>${id}</text>`);
    expect(svg).toMatch(
      new RegExp(`class="node status-completed critical">[\\s\\S]*?fill="${STATUS_COLORS.completed!.fill}"`),
    );
    expect(svg).toMatch(
      new RegExp(`class="node status-failed">[\\s\\S]*?fill="${STATUS_COLORS.failed!.fill}"`),
    );
    // Five critical tasks outlined, four critical edges drawn thick.
    expect(svg.match(new RegExp(`stroke="${CRITICAL_COLOR}" stroke-width="3"/>`, "g"))?.length).toBe(5);
    expect(svg.match(/marker-end="url\(#weft-arrow-critical\)"/g)?.length).toBe(4);
  });

  it("escapes names that look like markup in every format", () => {
    const tasks = sampleTasks();
    tasks[0] = { ...tasks[0]!, name: `Fix <script>alert("x")</script> & 'quotes' #1` };
    const view = sampleView(tasks);
    const svg = renderSvg([view]);
    expectWellFormed(svg);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
    expect(renderHtml([view])).not.toContain("<script>");
    const mermaid = renderMermaid([view]);
    expect(mermaid).toContain("#lt;script#gt;alert(#quot;x#quot;)");
    expect(renderDot([view])).toContain('alert(\\"x\\")');
  });

  it("HTML is one self-contained page: inline SVG, a legend, no external address", () => {
    const html = renderHtml([sampleView()]);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(html).not.toMatch(/<(script|link|img|iframe|object)\b/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html.match(/url\(([^)]*)\)/g)?.every((u) => u.startsWith("url(#"))).toBe(true);
    for (const status of Object.keys(STATUS_COLORS)) expect(html).toContain(`</span>${status}</li>`);
    expect(html).toContain("critical path");
    const svg = html.slice(html.indexOf("<svg"), html.indexOf("</svg>") + 6);
    expectWellFormed(svg);
  });

  it("Mermaid is a flowchart whose lines are all well-formed and reference defined nodes", () => {
    const view = sampleView();
    const text = renderMermaid([view, { ...view, workstreamId: "second" }]);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("flowchart TD");
    const defined = new Set<string>();
    const edges: [string, string][] = [];
    let depth = 0;
    const rules: [RegExp, (m: RegExpMatchArray) => void][] = [
      [/^ {2}subgraph ws\d+\["[^"]*"\]$/, () => depth++],
      [/^ {2}end$/, () => depth--],
      [/^ {4}direction TB$/, () => {}],
      [/^ {4}(w\d+_t\d+)\["([^"]*)"\]$/, (m) => defined.add(m[1]!)],
      [/^ {2}(w\d+_t\d+) --> (w\d+_t\d+)$/, (m) => edges.push([m[1]!, m[2]!])],
      [
        /^ {2}classDef st_[A-Za-z0-9_]+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6},stroke-width:\dpx,color:#[0-9a-f]{6}$/,
        () => {},
      ],
      [
        /^ {2}class ((?:w\d+_t\d+,?)+) st_[A-Za-z0-9_]+$/,
        (m) => expect(m[1]!.split(",").every((id) => defined.has(id))).toBe(true),
      ],
      [
        /^ {2}linkStyle ([\d,]+) stroke:#[0-9a-f]{6},stroke-width:3px$/,
        (m) => expect(m[1]!.split(",").every((i) => Number(i) < edges.length)).toBe(true),
      ],
    ];
    for (const line of lines.slice(1)) {
      const hit = rules.map(([re, apply]) => [line.match(re), apply] as const).find(([m]) => m !== null);
      if (!hit) throw new Error(`unexpected Mermaid line: ${JSON.stringify(line)}`);
      hit[1](hit[0]!);
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    expect(defined.size).toBe(20);
    for (const [a, b] of edges) expect(defined.has(a) && defined.has(b)).toBe(true);
  });

  it.skipIf(!hasDot && !process.env.CI)("DOT renders with Graphviz's own dot", () => {
    const dot = renderDot([sampleView()]);
    const svg = execFileSync("dot", ["-Tsvg"], { input: dot, encoding: "utf8" });
    expectWellFormed(svg.replace(/<!DOCTYPE[^>]*>/, ""));
    expect(svg).toContain("design&#45;schema");
    expect(svg).toContain(">Design the users table</text>");
    expect(svg).toContain(CRITICAL_COLOR);
  });

  it("a 10,000-task workstream draws a summary quickly and says so", () => {
    const tasks = generateLayered(10_000, 30_000);
    const plan = computePlans(tasks, { workers: 2, generatedAt }).workstreams[0]!;
    const started = performance.now();
    const view = createGraphView(plan);
    const svg = renderSvg([view]);
    const elapsed = performance.now() - started;
    expect(view.summary).toBe(true);
    expect(view.note).toContain("10,000 tasks exceed the drawing limit of 300");
    expect(view.nodes.length).toBeLessThanOrEqual(100);
    expect(
      view.nodes.reduce((a, n) => a + Object.values(n.statusCounts!).reduce((x, y) => x + y, 0), 0),
    ).toBe(10_000);
    expectWellFormed(svg);
    expect(svg).toContain("exceed the drawing limit");
    expect(elapsed).toBeLessThan(10_000);
  });

  it("a workstream with a cycle is still drawn, with the cycle named", () => {
    const tasks = sampleTasks();
    tasks[0] = { ...tasks[0]!, dependencies: ["e2e-tests"] };
    const view = sampleView(tasks);
    expect(view.note).toContain("design-schema → e2e-tests");
    expectWellFormed(renderSvg([view]));
  });
});
