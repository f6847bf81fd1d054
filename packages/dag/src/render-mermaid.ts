import { CRITICAL_COLOR, type GraphView, STATUS_COLORS, statusColor } from "./create-graph-view.js";

/** Escapes label text for a quoted Mermaid label (Mermaid entity codes: `#quot;` …). */
export function escapeMermaid(text: string): string {
  return text.replace(/["<>&#]/g, (c) =>
    c === '"' ? "#quot;" : c === "<" ? "#lt;" : c === ">" ? "#gt;" : c === "&" ? "#amp;" : "#35;",
  );
}

/**
 * A Mermaid `flowchart TD`: one subgraph per workstream, nodes classed by status (`*_cp` for critical-path nodes),
 * critical edges styled with `linkStyle`. Node ids are generated (`w0_t3`), so no task id can break the syntax;
 * labels are quoted and escaped.
 */
export function renderMermaid(views: readonly GraphView[]): string {
  const lines: string[] = ["flowchart TD"];
  const classes = new Map<string, string[]>();
  const criticalLinks: number[] = [];
  let link = 0;
  views.forEach((view, w) => {
    const id = (key: string): string => `w${w}_${key}`;
    lines.push(`  subgraph ws${w}["${escapeMermaid(`${view.workstreamId} (${view.taskCount} tasks)`)}"]`);
    lines.push("    direction TB");
    for (const node of view.nodes) {
      const label = [`<b>${escapeMermaid(node.title)}</b>`, ...node.lines.map(escapeMermaid)].join("<br/>");
      lines.push(`    ${id(node.key)}["${label}"]`);
      const cls = `${classNameOf(node.status)}${node.critical ? "_cp" : ""}`;
      const list = classes.get(cls);
      if (list) list.push(id(node.key));
      else classes.set(cls, [id(node.key)]);
    }
    lines.push("  end");
    for (const edge of view.edges) {
      lines.push(`  ${id(edge.from)} --> ${id(edge.to)}`);
      if (edge.critical) criticalLinks.push(link);
      link++;
    }
  });
  for (const [cls, members] of classes) {
    const base = cls.replace(/_cp$/, "");
    const status = Object.keys(STATUS_COLORS).find((s) => classNameOf(s) === base) ?? base;
    const c = statusColor(status);
    const stroke = cls.endsWith("_cp")
      ? `stroke:${CRITICAL_COLOR},stroke-width:3px`
      : `stroke:${c.stroke},stroke-width:1px`;
    lines.push(`  classDef ${cls} fill:${c.fill},${stroke},color:#111827`);
    lines.push(`  class ${members.join(",")} ${cls}`);
  }
  if (criticalLinks.length > 0)
    lines.push(`  linkStyle ${criticalLinks.join(",")} stroke:${CRITICAL_COLOR},stroke-width:3px`);
  return `${lines.join("\n")}\n`;
}

/** Mermaid class names: letters, digits and underscores only. */
function classNameOf(status: string): string {
  return `st_${status.replace(/[^A-Za-z0-9]/g, "_")}`;
}
