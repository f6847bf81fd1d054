import { CRITICAL_COLOR, type GraphView, STATUS_COLORS, statusColor } from "./create-graph-view.js";
import { type Layout, type LayoutEdgeInput, type LayoutNodeInput, layoutGraph } from "./layout-graph.js";

const CHAR_WIDTH = 7;
const LINE_HEIGHT = 16;
const PANEL_GAP = 32;
const HEADER_HEIGHT = 48;
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

export interface SvgOptions {
  /** Picture title (the `<title>` element and the heading). */
  readonly title?: string | undefined;
  /**
   * true (default): a standalone `.svg` document (XML declaration, xmlns). false: an element to inline into HTML
   * (no declaration, no namespace URL — so the page names no external address at all).
   */
  readonly standalone?: boolean | undefined;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) =>
    c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : c === '"' ? "&quot;" : "&apos;",
  );
}

function nodeSize(node: GraphView["nodes"][number]): { width: number; height: number } {
  const longest = Math.max(node.title.length, ...node.lines.map((l) => l.length));
  const width = Math.min(340, Math.max(130, longest * CHAR_WIDTH + 24));
  return { width, height: 14 + (1 + node.lines.length) * LINE_HEIGHT + (node.statusCounts ? 10 : 0) };
}

function fmt(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/**
 * Draws one or more workstream views as SVG (dagre layout; nodes colored by status; the critical path outlined and
 * its edges drawn thick in red). Well-formed XML; opens in any browser.
 */
export function renderSvg(views: readonly GraphView[], options: SvgOptions = {}): string {
  const standalone = options.standalone ?? true;
  const title = options.title ?? `weft DAG — ${views.map((v) => v.workstreamId).join(", ")}`;
  const panels: { view: GraphView; layout: Layout }[] = views.map((view) => {
    const sizes = new Map(view.nodes.map((n) => [n.key, nodeSize(n)] as const));
    const nodes = view.nodes.map((n) => ({ id: n.key, ...sizes.get(n.key)! }));
    const edges = view.edges.map((e) => ({ from: e.from, to: e.to }));
    const layout = view.summary ? gridLayout(nodes, edges) : layoutGraph(nodes, edges);
    return { view, layout };
  });
  const width = Math.max(480, ...panels.map((p) => p.layout.width + 32));
  let y = 40;
  const body: string[] = [];
  for (const { view, layout } of panels) {
    const heading = `${view.workstreamId} — ${view.taskCount.toLocaleString("en-US")} task${view.taskCount === 1 ? "" : "s"}${
      view.criticalPathDuration !== undefined ? ` · critical path ${fmt(view.criticalPathDuration)} s` : ""
    }${view.totalEstimatedDuration !== undefined ? ` · estimated ${fmt(view.totalEstimatedDuration)} s` : ""}`;
    body.push(`<g class="workstream" transform="translate(16,${fmt(y)})">`);
    body.push(
      `<text x="0" y="14" font-size="14" font-weight="600" fill="#111827">${escapeXml(heading)}</text>`,
    );
    if (view.note)
      body.push(`<text x="0" y="32" font-size="12" fill="#b45309">${escapeXml(view.note)}</text>`);
    body.push(`<g transform="translate(0,${HEADER_HEIGHT - 8})">`);
    body.push(renderPanel(view, layout));
    body.push("</g></g>");
    y += HEADER_HEIGHT + layout.height + PANEL_GAP;
  }
  const height = Math.round(y);
  const ns = standalone ? ' xmlns="http://www.w3.org/2000/svg"' : "";
  const head = standalone ? '<?xml version="1.0" encoding="UTF-8"?>\n' : "";
  return `${head}<svg${ns} width="${Math.round(width)}" height="${height}" viewBox="0 0 ${Math.round(width)} ${height}" font-family="${escapeXml(FONT)}" role="img" aria-labelledby="weft-title">
<title id="weft-title">${escapeXml(title)}</title>
<defs>
<marker id="weft-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker>
<marker id="weft-arrow-critical" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${CRITICAL_COLOR}"/></marker>
</defs>
<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>
<text x="16" y="24" font-size="16" font-weight="700" fill="#111827">${escapeXml(title)}</text>
${body.join("\n")}
</svg>
`;
}

function renderPanel(view: GraphView, layout: Layout): string {
  const out: string[] = [];
  const critical = new Set(view.edges.filter((e) => e.critical).map((e) => `${e.from}\u0000${e.to}`));
  out.push('<g class="edges" fill="none">');
  // Critical edges last, so they are drawn on top.
  const edges = [...layout.edges].sort(
    (a, b) => Number(critical.has(`${a.from}\u0000${a.to}`)) - Number(critical.has(`${b.from}\u0000${b.to}`)),
  );
  for (const e of edges) {
    if (e.points.length === 0) continue;
    const d = e.points.map((p, i) => `${i === 0 ? "M" : "L"}${fmt(p.x)},${fmt(p.y)}`).join(" ");
    const isCritical = critical.has(`${e.from}\u0000${e.to}`);
    out.push(
      isCritical
        ? `<path d="${d}" stroke="${CRITICAL_COLOR}" stroke-width="3" marker-end="url(#weft-arrow-critical)"/>`
        : `<path d="${d}" stroke="#9ca3af" stroke-width="1.3" marker-end="url(#weft-arrow)"/>`,
    );
  }
  out.push("</g>");
  out.push('<g class="nodes">');
  const byKey = new Map(view.nodes.map((n) => [n.key, n] as const));
  for (const p of layout.nodes) {
    const node = byKey.get(p.id)!;
    const color = statusColor(node.status);
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    out.push(`<g class="node status-${escapeXml(node.status)}${node.critical ? " critical" : ""}">`);
    out.push(`<title>${escapeXml(node.tooltip)}</title>`);
    out.push(
      `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(p.width)}" height="${fmt(p.height)}" rx="8" fill="${color.fill}" stroke="${
        node.critical ? CRITICAL_COLOR : color.stroke
      }" stroke-width="${node.critical ? 3 : 1.2}"/>`,
    );
    let ty = y + 20;
    out.push(
      `<text x="${fmt(p.x)}" y="${fmt(ty)}" text-anchor="middle" font-size="12.5" font-weight="600" fill="#111827">${escapeXml(node.title)}</text>`,
    );
    for (const line of node.lines) {
      ty += LINE_HEIGHT;
      out.push(
        `<text x="${fmt(p.x)}" y="${fmt(ty)}" text-anchor="middle" font-size="11" fill="#374151">${escapeXml(line)}</text>`,
      );
    }
    if (node.statusCounts) out.push(statusBar(node.statusCounts, x + 10, y + p.height - 14, p.width - 20));
    out.push("</g>");
  }
  out.push("</g>");
  return out.join("\n");
}

/** A stacked bar of the states of a summary box. */
function statusBar(counts: Readonly<Record<string, number>>, x: number, y: number, width: number): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const parts: string[] = [];
  let at = x;
  for (const status of [
    ...Object.keys(STATUS_COLORS),
    ...Object.keys(counts).filter((s) => !(s in STATUS_COLORS)),
  ]) {
    const c = counts[status];
    if (!c) continue;
    const w = (c / total) * width;
    parts.push(
      `<rect x="${fmt(at)}" y="${fmt(y)}" width="${fmt(w)}" height="6" fill="${statusColor(status).fill}" stroke="${statusColor(status).stroke}" stroke-width="0.5"/>`,
    );
    at += w;
  }
  return parts.join("");
}

const GRID_COLUMNS = 6;
const GRID_GAP_X = 36;
const GRID_GAP_Y = 44;

/**
 * The layout of a summary (a chain of stage boxes): rows of {@link GRID_COLUMNS} boxes read left to right, each
 * edge a straight arrow (or, at a row end, an elbow down to the next row). Linear time, no dagre.
 */
function gridLayout(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[]): Layout {
  const cellW = Math.max(0, ...nodes.map((n) => n.width));
  const cellH = Math.max(0, ...nodes.map((n) => n.height));
  const margin = 16;
  const columns = Math.min(GRID_COLUMNS, Math.max(1, nodes.length));
  const placed = nodes.map((n, i) => {
    const row = Math.floor(i / columns);
    const col = i % columns;
    return {
      id: n.id,
      x: margin + col * (cellW + GRID_GAP_X) + cellW / 2,
      y: margin + row * (cellH + GRID_GAP_Y) + cellH / 2,
      width: n.width,
      height: n.height,
    };
  });
  const at = new Map(placed.map((p) => [p.id, p] as const));
  const placedEdges = edges.map((e) => {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    if (Math.abs(a.y - b.y) < 1) {
      return {
        ...e,
        points: [
          { x: a.x + a.width / 2, y: a.y },
          { x: b.x - b.width / 2, y: b.y },
        ],
      };
    }
    const midY = a.y + cellH / 2 + GRID_GAP_Y / 2;
    return {
      ...e,
      points: [
        { x: a.x, y: a.y + a.height / 2 },
        { x: a.x, y: midY },
        { x: b.x, y: midY },
        { x: b.x, y: b.y - b.height / 2 },
      ],
    };
  });
  const rows = Math.ceil(nodes.length / columns);
  return {
    width: 2 * margin + columns * cellW + (columns - 1) * GRID_GAP_X,
    height: 2 * margin + rows * cellH + Math.max(0, rows - 1) * GRID_GAP_Y,
    nodes: placed,
    edges: placedEdges,
  };
}
