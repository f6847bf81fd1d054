import { CRITICAL_COLOR, type GraphView, STATUS_COLORS } from "./create-graph-view.js";
import { escapeXml, renderSvg } from "./render-svg.js";

/**
 * One self-contained HTML page: the SVG inline, a legend of state colors and the critical path, and each
 * workstream's critical path as text. No scripts, fonts, images or links to load: it opens offline.
 */
export function renderHtml(
  views: readonly GraphView[],
  options: { title?: string | undefined } = {},
): string {
  const title = options.title ?? `weft DAG — ${views.map((v) => v.workstreamId).join(", ")}`;
  const svg = renderSvg(views, { title, standalone: false });
  const legend = Object.entries(STATUS_COLORS)
    .map(
      ([status, c]) =>
        `<li><span class="swatch" style="background:${c.fill};border-color:${c.stroke}"></span>${escapeXml(status)}</li>`,
    )
    .join("\n");
  const notes = views
    .filter((v) => v.note)
    .map((v) => `<p class="note"><strong>${escapeXml(v.workstreamId)}:</strong> ${escapeXml(v.note!)}</p>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #111827; background: #ffffff; }
h1 { font-size: 20px; margin: 0 0 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; list-style: none; padding: 10px 14px; margin: 0 0 16px; border: 1px solid #e5e7eb; border-radius: 8px; font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 16px; height: 12px; border: 1.5px solid; border-radius: 3px; }
.critical-swatch { display: inline-block; width: 28px; height: 0; border-top: 3px solid ${CRITICAL_COLOR}; }
.note { color: #92400e; font-size: 13px; }
.picture { overflow: auto; border: 1px solid #e5e7eb; border-radius: 8px; }
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<ul class="legend" aria-label="legend">
${legend}
<li><span class="swatch" style="background:#ffffff;border-color:${CRITICAL_COLOR};border-width:3px"></span><span class="critical-swatch"></span>critical path</li>
</ul>
${notes}
<div class="picture">
${svg}
</div>
</body>
</html>
`;
}
