import { CRITICAL_COLOR, type GraphView, statusColor } from "./create-graph-view.js";

/** Escapes text for a double-quoted DOT string. */
export function escapeDot(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n");
}

/**
 * A Graphviz `digraph`: one cluster per workstream, filled by status, the critical path outlined and its edges thick
 * red. Renders with `dot -Tsvg`. Node ids are generated (`w0_t3`), labels escaped.
 */
export function renderDot(views: readonly GraphView[], options: { title?: string | undefined } = {}): string {
  const title = options.title ?? `weft DAG — ${views.map((v) => v.workstreamId).join(", ")}`;
  const out: string[] = [
    "digraph weft {",
    `  graph [rankdir=TB, fontname="Helvetica", fontsize=14, labelloc=t, label="${escapeDot(title)}", nodesep=0.3, ranksep=0.45];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, margin="0.12,0.06"];',
    '  edge [color="#9ca3af", arrowsize=0.7];',
  ];
  views.forEach((view, w) => {
    const id = (key: string): string => `"w${w}_${key}"`;
    out.push(`  subgraph "cluster_${w}" {`);
    out.push(
      `    label="${escapeDot(`${view.workstreamId} (${view.taskCount} tasks)${view.note ? `\n${view.note}` : ""}`)}";`,
    );
    out.push('    color="#d1d5db";');
    for (const node of view.nodes) {
      const c = statusColor(node.status);
      const label = escapeDot([node.title, ...node.lines].join("\n"));
      const outline = node.critical ? `color="${CRITICAL_COLOR}", penwidth=3` : `color="${c.stroke}"`;
      out.push(
        `    ${id(node.key)} [label="${label}", tooltip="${escapeDot(node.tooltip)}", fillcolor="${c.fill}", ${outline}];`,
      );
    }
    out.push("  }");
    for (const edge of view.edges) {
      out.push(
        `  ${id(edge.from)} -> ${id(edge.to)}${edge.critical ? ` [color="${CRITICAL_COLOR}", penwidth=3]` : ""};`,
      );
    }
  });
  out.push("}");
  return `${out.join("\n")}\n`;
}
