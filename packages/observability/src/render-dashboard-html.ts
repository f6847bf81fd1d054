import type { MetricsDocument } from "@weft/core-schema";
import { escapeXml, STATUS_COLORS } from "@weft/dag";
import type { WorkstreamGraph } from "./render-workstream-graphs.js";

export interface DashboardPageInput {
  /** CSP nonce of the inline script (fresh per response). */
  readonly nonce: string;
  readonly graphs: readonly WorkstreamGraph[];
  /** The snapshot's `seq`: events up to it are already reflected in `graphs`. */
  readonly seq: number;
  readonly metrics: MetricsDocument;
  readonly run: { readonly run_id: string; readonly status: string; readonly started_at: string } | null;
  readonly title?: string | undefined;
}

const esc = escapeXml;

const WS_COLORS: Readonly<Record<string, string>> = {
  planned: "#e5e7eb",
  ready: "#bfdbfe",
  executing: "#60a5fa",
  validating: "#c4b5fd",
  completed: "#86efac",
  failed: "#fca5a5",
  cancelled: "#f3f4f6",
};

const ORDER = [
  "completed",
  "running",
  "validating",
  "retrying",
  "queued",
  "blocked",
  "pending",
  "failed",
  "cancelled",
];

function progressBar(g: WorkstreamGraph): string {
  const total = Math.max(1, g.taskCount);
  const parts = ORDER.filter((s) => (g.counts[s] ?? 0) > 0).map(
    (s) =>
      `<span class="seg" data-status="${s}" style="width:${((g.counts[s] ?? 0) / total) * 100}%"></span>`,
  );
  return `<div class="bar">${parts.join("")}</div>`;
}

function countsText(g: WorkstreamGraph): string {
  const done = g.counts.completed ?? 0;
  const rest = ORDER.filter((s) => s !== "completed" && (g.counts[s] ?? 0) > 0).map(
    (s) => `${g.counts[s]} ${s}`,
  );
  return [`${done}/${g.taskCount} completed`, ...rest].join(" · ");
}

/** The workstream cards (also served alone by `/api/dag` so the page can redraw without reloading). */
export function renderWorkstreamsHtml(graphs: readonly WorkstreamGraph[]): string {
  if (graphs.length === 0) {
    return '<p class="empty">No workstreams in <code>.state/current.json</code> yet. Start one with <code>weft run</code>.</p>';
  }
  return graphs
    .map(
      (
        g,
      ) => `<section class="ws" data-ws="${esc(g.workstreamId)}" data-drawn="${g.svg === "" ? "false" : "true"}">
<header><h2>${esc(g.workstreamId)}</h2><span class="badge" data-status="${esc(g.status)}">${esc(g.status)}</span><span class="counts">${esc(countsText(g))}</span></header>
${progressBar(g)}
${g.note ? `<p class="note">${esc(g.note)}</p>` : ""}<div class="scroll">${g.svg}</div>
</section>`,
    )
    .join("\n");
}

function statusCss(): string {
  const rules: string[] = [];
  for (const [status, c] of Object.entries(STATUS_COLORS)) {
    rules.push(`.node[data-status="${status}"] rect{fill:${c.fill};stroke:${c.stroke}}`);
    rules.push(
      `.seg[data-status="${status}"],.dot[data-status="${status}"]{background:${c.fill};border-color:${c.stroke}}`,
    );
  }
  for (const [status, fill] of Object.entries(WS_COLORS))
    rules.push(`.badge[data-status="${status}"]{background:${fill}}`);
  return rules.join("\n");
}

function tile(id: string, label: string, value: string): string {
  return `<div class="tile"><div class="v" id="${id}">${esc(value)}</div><div class="l">${esc(label)}</div></div>`;
}

function tiles(m: MetricsDocument): string {
  const errors = Object.values(m.errors).reduce((a, b) => a + b, 0);
  return [
    tile("m-running", "running", String(m.tasks.running + m.tasks.validating)),
    tile("m-completed", "completed", String(m.tasks.completed)),
    tile("m-failed", "failed", String(m.tasks.failed)),
    tile(
      "m-waiting",
      "waiting",
      String(m.tasks.pending + m.tasks.queued + m.tasks.blocked + m.tasks.retrying),
    ),
    tile("m-workers", "workers busy", `${m.workers.busy}/${m.workers.total}`),
    tile("m-rate", "completed / hour", String(m.tasks.completion_rate_per_hour)),
    tile("m-avg", "avg task duration", `${m.tasks.avg_duration_seconds}s`),
    tile("m-errors", "warnings + errors", String(errors)),
  ].join("");
}

const CLIENT_SCRIPT = `
"use strict";
(() => {
  const token = new URLSearchParams(location.search).get("token");
  const withToken = (p) => (token ? p + (p.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token) : p);
  let stateSeq = Number(document.body.dataset.seq);
  let lastSeq = 0;
  const recent = [];
  const list = document.getElementById("events");
  const conn = document.getElementById("conn");
  const ORDER = ${JSON.stringify(ORDER)};

  function recount(ws) {
    if (!ws) return;
    const counts = {};
    let total = 0;
    for (const n of ws.querySelectorAll(".node")) {
      counts[n.dataset.status] = (counts[n.dataset.status] || 0) + 1;
      total += 1;
    }
    if (total === 0) return;
    const rest = ORDER.filter((s) => s !== "completed" && counts[s]).map((s) => counts[s] + " " + s);
    ws.querySelector(".counts").textContent = [(counts.completed || 0) + "/" + total + " completed"].concat(rest).join(" · ");
    const bar = ws.querySelector(".bar");
    bar.textContent = "";
    for (const s of ORDER) {
      if (!counts[s]) continue;
      const seg = document.createElement("span");
      seg.className = "seg";
      seg.dataset.status = s;
      seg.style.width = (counts[s] / total) * 100 + "%";
      bar.appendChild(seg);
    }
  }

  function findNode(id) {
    for (const n of document.querySelectorAll(".node")) if (n.dataset.task === id) return n;
    return null;
  }
  function findWs(id) {
    for (const n of document.querySelectorAll(".ws")) if (n.dataset.ws === id) return n;
    return null;
  }

  let refreshTimer = 0;
  // Workstreams drawn as counts only (too many tasks) are redrawn at most every few seconds.
  function scheduleRefresh(delay = 300) {
    if (refreshTimer) return;
    refreshTimer = setTimeout(refreshGraphs, delay);
  }

  function applyToPicture(e) {
    if (e.entity_type === "task" && e.to_state) {
      const node = findNode(e.entity_id);
      if (!node) {
        const ws = e.workstream_id ? findWs(e.workstream_id) : null;
        return scheduleRefresh(ws && ws.dataset.drawn === "false" ? 3000 : 300);
      }
      node.dataset.status = e.to_state;
      const st = node.querySelector(".st");
      st.textContent = st.dataset.type + " · " + e.to_state;
      recount(node.closest(".ws"));
    } else if (e.entity_type === "workstream" && e.to_state) {
      const ws = findWs(e.entity_id);
      if (!ws) return scheduleRefresh();
      const b = ws.querySelector(".badge");
      b.dataset.status = e.to_state;
      b.textContent = e.to_state;
    } else if (e.entity_type === "run") {
      refreshMetrics();
    }
  }

  function span(cls, text) {
    const el = document.createElement("span");
    el.className = cls;
    el.textContent = text;
    return el;
  }
  function addRow(e) {
    const li = document.createElement("li");
    li.dataset.severity = e.severity;
    li.dataset.seq = String(e.seq);
    const head = document.createElement("div");
    const t = document.createElement("time");
    t.textContent = (e.timestamp || "").slice(11, 19);
    t.title = e.timestamp;
    head.append(t);
    if (e.severity !== "info") head.append(span("sev", e.severity));
    head.append(span("name", e.event));
    const body = document.createElement("div");
    body.className = "body";
    body.append(span("who", e.entity_id));
    if (e.to_state) body.append(span("tr", (e.from_state ? e.from_state + " → " : "→ ") + e.to_state));
    li.append(head, body);
    const msg = e.metadata && (e.metadata.error_message || e.metadata.error_type);
    if (msg) li.append(span("msg", String(msg)));
    list.insertBefore(li, list.firstChild);
    while (list.childElementCount > 300) list.removeChild(list.lastChild);
    document.getElementById("no-events")?.remove();
  }

  let metricsTimer = 0;
  function scheduleMetrics() {
    if (metricsTimer) return;
    metricsTimer = setTimeout(() => {
      metricsTimer = 0;
      refreshMetrics();
    }, 400);
  }

  function onEvent(e) {
    if (e.seq === 1 && lastSeq > 1) return location.reload(); // .state was started over
    if (e.seq <= lastSeq) return;
    lastSeq = e.seq;
    recent.push(e);
    if (recent.length > 1000) recent.shift();
    addRow(e);
    if (e.seq > stateSeq) {
      applyToPicture(e);
      scheduleMetrics();
    }
  }

  async function refreshGraphs() {
    refreshTimer = 0;
    try {
      const r = await fetch(withToken("/api/dag"), { cache: "no-store" });
      if (!r.ok) return;
      const doc = await r.json();
      document.getElementById("workstreams").innerHTML = doc.html;
      stateSeq = doc.seq;
      for (const e of recent) if (e.seq > stateSeq) applyToPicture(e);
    } catch {}
  }

  function setText(id, v) {
    const el = document.getElementById(id);
    if (el) el.textContent = v;
  }
  async function refreshMetrics() {
    try {
      const r = await fetch(withToken("/api/metrics"), { cache: "no-store" });
      if (!r.ok) return;
      const doc = await r.json();
      const m = doc.metrics;
      setText("m-running", m.tasks.running + m.tasks.validating);
      setText("m-completed", m.tasks.completed);
      setText("m-failed", m.tasks.failed);
      setText("m-waiting", m.tasks.pending + m.tasks.queued + m.tasks.blocked + m.tasks.retrying);
      setText("m-workers", m.workers.busy + "/" + m.workers.total);
      setText("m-rate", m.tasks.completion_rate_per_hour);
      setText("m-avg", m.tasks.avg_duration_seconds + "s");
      setText("m-errors", Object.values(m.errors).reduce((a, b) => a + b, 0));
      if (doc.run) {
        setText("run-id", doc.run.run_id);
        const rs = document.getElementById("run-status");
        rs.textContent = doc.run.status;
        rs.dataset.status = doc.run.status;
      }
      setText("updated", "updated " + new Date().toLocaleTimeString());
    } catch {}
  }

  const es = new EventSource(withToken("/events?backlog=200"));
  es.onopen = () => {
    conn.dataset.state = "live";
    conn.textContent = "live";
  };
  es.onerror = () => {
    conn.dataset.state = "down";
    conn.textContent = "reconnecting…";
  };
  es.onmessage = (m) => {
    try {
      onEvent(JSON.parse(m.data));
    } catch {}
  };
  setInterval(refreshMetrics, 5000);
})();
`;

/**
 * The dashboard page of `weft serve` (OBS-002, DESIGN §8): one self-contained HTML document — inline CSS, inline
 * script (allowed by a per-response CSP nonce), inline SVG — that names no external address. It shows the run, a
 * row of metrics, each workstream's DAG colored by task status, and the event stream; the script follows
 * `/events` (Server-Sent Events) and recolors nodes as transitions arrive, without reloading. Pure.
 */
export function renderDashboardHtml(input: DashboardPageInput): string {
  const title = input.title ?? "weft dashboard";
  const run = input.run;
  const legend = Object.keys(STATUS_COLORS)
    .map((s) => `<span class="key"><span class="dot" data-status="${s}"></span>${s}</span>`)
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>
:root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--card:#fff}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
body>header{display:flex;align-items:center;gap:14px;padding:10px 20px;background:#111827;color:#f9fafb}
body>header h1{font-size:17px;margin:0;letter-spacing:.02em}
body>header .run{color:#d1d5db;font-size:13px}
#run-status{padding:1px 8px;border-radius:9px;background:#374151;color:#f9fafb;font-size:12px}
#run-status[data-status="running"]{background:#2563eb}#run-status[data-status="completed"]{background:#15803d}
#run-status[data-status="failed"],#run-status[data-status="crashed"]{background:#b91c1c}
#conn{margin-left:auto;font-size:12px;padding:2px 8px;border-radius:9px;background:#4b5563}
#conn[data-state="live"]{background:#15803d}#conn[data-state="down"]{background:#b45309}
#updated{font-size:12px;color:#9ca3af}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:10px;padding:14px 20px 0}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:8px 12px}
.tile .v{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}.tile .l{color:var(--muted);font-size:12px}
main{display:grid;grid-template-columns:minmax(0,1fr) 380px;gap:16px;padding:14px 20px 20px}
@media (max-width:1000px){main{grid-template-columns:1fr}}
.ws{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 14px;margin-bottom:14px}
.ws header{display:flex;align-items:baseline;gap:10px;flex-wrap:wrap}
.ws h2{font-size:15px;margin:0}.ws .counts{color:var(--muted);font-size:12.5px}
.badge{padding:1px 8px;border-radius:9px;font-size:12px;border:1px solid #d1d5db}
.bar{display:flex;height:7px;border-radius:4px;overflow:hidden;background:#f3f4f6;margin:8px 0 6px}
.seg{display:block;height:100%;border-right:1px solid #fff}
.note,.empty{color:#b45309;font-size:12.5px;margin:4px 0}
.scroll{overflow:auto}
svg.dag{display:block;font-family:inherit}
.edges path{fill:none;stroke:#9ca3af;stroke-width:1.4}.arrow{fill:#9ca3af}
.node rect{stroke-width:1.4;transition:fill .4s,stroke .4s}
.node text{text-anchor:middle;fill:#111827}.node .id{font-size:12.5px;font-weight:600}.node .st{font-size:11px;fill:#374151}
.node[data-status="running"] rect{animation:pulse 1.6s ease-in-out infinite}
@keyframes pulse{50%{stroke-width:3.2}}
.legend{display:flex;flex-wrap:wrap;gap:10px;color:var(--muted);font-size:12px;margin:0 0 10px}
.key{display:inline-flex;align-items:center;gap:4px}.dot{width:11px;height:11px;border-radius:3px;border:1px solid #999;display:inline-block}
aside{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px;align-self:start;position:sticky;top:10px;max-height:calc(100vh - 20px);overflow:auto}
aside h2{font-size:15px;margin:0 0 6px}
#events{list-style:none;margin:0;padding:0;font-size:12.5px}
#events li{padding:5px 2px;border-bottom:1px solid #f1f5f9}
#events li>div{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
#events time{color:var(--muted);font-variant-numeric:tabular-nums}
#events .name{font-weight:600}
#events .sev{font-size:10.5px;text-transform:uppercase;padding:0 5px;border-radius:4px;background:#e5e7eb}
#events li[data-severity="warning"] .sev{background:#fde68a}#events li[data-severity="error"] .sev{background:#fca5a5}
#events li[data-severity="critical"] .sev{background:#b91c1c;color:#fff}
#events .body{padding-left:62px;font-size:12px}
#events .who{font-family:ui-monospace,Menlo,Consolas,monospace}#events .tr{color:var(--muted)}
#events .msg{display:block;padding-left:62px;color:#991b1b;font-size:12px;white-space:pre-wrap;word-break:break-word}
${statusCss()}
</style>
</head>
<body data-seq="${input.seq}">
<header><h1>weft</h1><span class="run">run <b id="run-id">${esc(run?.run_id ?? "—")}</b> <span id="run-status" data-status="${esc(run?.status ?? "none")}">${esc(run?.status ?? "no run")}</span>${run ? ` since ${esc(run.started_at.slice(0, 19).replace("T", " "))} UTC` : ""}</span><span id="updated"></span><span id="conn">connecting…</span></header>
<div class="tiles">${tiles(input.metrics)}</div>
<main>
<div>
<div class="legend">${legend}</div>
<div id="workstreams">
${renderWorkstreamsHtml(input.graphs)}
</div>
</div>
<aside><h2>Events</h2><ul id="events"><li id="no-events">waiting for events…</li></ul></aside>
</main>
<script nonce="${esc(input.nonce)}">${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
