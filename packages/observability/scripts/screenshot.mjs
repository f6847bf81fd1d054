// Renders docs/examples/dashboard.png: a demo .state (two workstreams, tasks in several states, a retry and a
// failure) served by createDashboardServer and photographed with Debian's chromium through playwright-core.
// Not part of the test run: `pnpm --filter @weft/observability build && node packages/observability/scripts/screenshot.mjs`.
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyEvent, createStateModel, snapshotFromModel } from "@weft/core-schema";
import { chromium } from "playwright-core";
import { createDashboardServer } from "../dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, "..", "..", "..", "docs", "examples", "dashboard.png");
const t0 = Date.parse("2026-03-01T10:00:00.000Z");
let seq = 0;
const events = [];
const at = (s) => new Date(t0 + s * 1000).toISOString();
function ev(s, fields) {
  seq += 1;
  const e = {
    schema_version: "1.0.0",
    seq,
    event_id: `evt-${seq}`,
    timestamp: at(s),
    event_type: `${fields.entity_type === "run" ? "system" : fields.entity_type}_state_transition`.replace(
      "system_state_transition",
      "system",
    ),
    severity: "info",
    from_state: null,
    to_state: null,
    trigger: null,
    actor: "system",
    metadata: {},
    ...fields,
  };
  events.push(e);
  return e;
}
const task = (s, id, ws, to, extra = {}) =>
  ev(s, {
    event: extra.event ?? "task_state_changed",
    entity_type: "task",
    entity_id: id,
    task_id: id,
    workstream_id: ws,
    to_state: to,
    ...extra,
  });

ev(0, {
  event: "run_started",
  entity_type: "run",
  entity_id: "run-20260301-1000",
  metadata: {
    record: { run_id: "run-20260301-1000", started_at: at(0), status: "running", pid: 4242, host: "build-1" },
  },
});
for (const w of ["w1", "w2", "w3"])
  ev(0, { event: "worker_registered", entity_type: "worker", entity_id: w, to_state: "idle" });
const api = [
  ["edit-models", "aider", []],
  ["edit-routes", "aider", []],
  ["lint-api", "lint", ["edit-models", "edit-routes"]],
  ["typecheck", "lint", ["edit-models", "edit-routes"]],
  ["unit-tests", "pytest", ["lint-api", "typecheck"]],
  ["integration", "pytest", ["unit-tests"]],
];
const docs = [
  ["write-guide", "aider", []],
  ["lint-docs", "lint", ["write-guide"]],
  ["link-check", "custom", ["write-guide"]],
];
ev(0, {
  event: "workstream_started",
  entity_type: "workstream",
  entity_id: "api-refactor",
  to_state: "executing",
});
ev(0, { event: "workstream_started", entity_type: "workstream", entity_id: "docs", to_state: "executing" });
for (const [id, type, deps] of api)
  task(0, id, "api-refactor", "pending", {
    event: "task_registered",
    metadata: { record: { type, dependencies: deps } },
  });
for (const [id, type, deps] of docs)
  task(0, id, "docs", "pending", {
    event: "task_registered",
    metadata: { record: { type, dependencies: deps } },
  });
const worker = (s, id, to) =>
  ev(s, { event: `worker_${to}`, entity_type: "worker", entity_id: id, to_state: to });
task(1, "edit-models", "api-refactor", "running", { event: "task_started", worker_id: "w1" });
worker(1, "w1", "busy");
worker(1, "w2", "busy");
worker(1, "w3", "busy");
task(1, "edit-routes", "api-refactor", "running", { event: "task_started", worker_id: "w2" });
task(1, "write-guide", "docs", "running", { event: "task_started", worker_id: "w3" });
task(95, "edit-models", "api-refactor", "completed", {
  event: "task_completed",
  metadata: { duration_seconds: 94, record: { duration_seconds: 94, tokens_used: 18200, cost_usd: 0.21 } },
});
task(120, "edit-routes", "api-refactor", "completed", {
  event: "task_completed",
  metadata: { duration_seconds: 119, record: { duration_seconds: 119, tokens_used: 22950, cost_usd: 0.27 } },
});
task(121, "lint-api", "api-refactor", "running", { event: "task_started", worker_id: "w1" });
task(121, "typecheck", "api-refactor", "running", { event: "task_started", worker_id: "w2" });
task(130, "write-guide", "docs", "completed", {
  event: "task_completed",
  metadata: { duration_seconds: 129, record: { duration_seconds: 129, tokens_used: 9400, cost_usd: 0.11 } },
});
task(131, "link-check", "docs", "running", { event: "task_started", worker_id: "w3" });
task(140, "lint-api", "api-refactor", "completed", {
  event: "task_completed",
  metadata: { duration_seconds: 19 },
});
worker(140, "w1", "idle");
worker(150, "w3", "idle");
task(150, "link-check", "docs", "retrying", {
  event: "task_retry",
  severity: "warning",
  metadata: {
    retry_count: 1,
    error_type: "nonzero_exit",
    error_message: "link-check: 1 broken link (docs/guide.md:42)",
  },
});
task(152, "lint-docs", "docs", "queued", { event: "task_queued" });

const model = createStateModel();
for (const e of events) applyEvent(model, e);
const dir = join(mkdtempSync(join(tmpdir(), "weft-shot-")), ".state");
mkdirSync(dir);
const files = { current: join(dir, "current.json"), log: join(dir, "transitions.jsonl") };
writeFileSync(files.current, JSON.stringify(snapshotFromModel(model, events.slice(-10)), null, 2));
writeFileSync(files.log, events.map((e) => `${JSON.stringify(e)}\n`).join(""));

const server = await createDashboardServer({
  files,
  port: 0,
  pollIntervalMs: 50,
  clock: () => new Date(t0 + 160_000),
});
const browser = await chromium.launch({
  executablePath: process.env.WEFT_CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(server.url);
  await page.locator("#conn[data-state='live']").waitFor();
  // A live transition after the page loaded: typecheck completes.
  appendFileSync(
    files.log,
    `${JSON.stringify(task(158, "typecheck", "api-refactor", "completed", { event: "task_completed", metadata: { duration_seconds: 37 } }))}\n`,
  );
  await page.locator('.node[data-task="typecheck"][data-status="completed"]').waitFor();
  await page.waitForTimeout(700);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await browser.close();
  await server.close();
}
