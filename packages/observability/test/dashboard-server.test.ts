import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CurrentState } from "@weft/core-schema";
import { afterEach, describe, expect, it } from "vitest";
import { createDashboardServer, type DashboardServer } from "../src/create-dashboard-server.js";
import { appendEvents, makeEvent, sampleEvents, writeState } from "../src/test-fixtures.js";

const servers: DashboardServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(extra: Partial<Parameters<typeof createDashboardServer>[0]> = {}) {
  const root = mkdtempSync(join(tmpdir(), "weft-serve-"));
  const events = sampleEvents();
  const files = writeState(root, events);
  const server = await createDashboardServer({
    files,
    port: 0,
    pollIntervalMs: 50,
    clock: () => new Date("2026-03-01T10:01:00.000Z"),
    ...extra,
  });
  servers.push(server);
  return { server, files, events };
}

/** Reads an SSE stream until `until` matches the accumulated text (or the timeout). */
async function readEvents(
  url: string,
  until: (text: string) => boolean,
  headers: Record<string, string> = {},
) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal, headers });
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 10_000;
  const done = (async () => {
    while (Date.now() < deadline) {
      const { value, done: end } = await reader.read();
      if (end) break;
      text += decoder.decode(value, { stream: true });
      if (until(text)) break;
    }
  })();
  return {
    get text() {
      return text;
    },
    finished: done.finally(() => controller.abort()),
  };
}

function dataLines(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => JSON.parse(l.slice(6)));
}

describe("createDashboardServer (OBS-002, DESIGN §7/§8)", () => {
  it("serves the page, the state, the metrics and streams new log lines", async () => {
    const { server, files } = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.host).toBe("127.0.0.1");

    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(html).toContain('data-task="a2" data-status="running"');
    expect(html).toContain('data-task="a1" data-status="completed"');
    expect(html).toContain('data-ws="ws-a"');
    // Self-contained: no external address anywhere (no http(s):// URL, no //host reference).
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/(src|href)="\/\//);

    const state = await fetch(new URL("/api/state", server.url));
    expect(state.headers.get("content-type")).toContain("application/json");
    const snapshot = CurrentState.parse(await state.json());
    expect(snapshot.tasks.map((t) => t.task_id)).toEqual(["a1", "a2", "a3"]);

    const metrics = await fetch(new URL("/metrics", server.url));
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toContain('weft_tasks{status="running"} 1');
    expect(text).toContain('weft_errors_total{event="task_retry"} 1');
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    if (check.error === undefined) expect(`${check.stdout}${check.stderr}`.trim()).toBe("");

    const api = (await (await fetch(new URL("/api/metrics", server.url))).json()) as {
      metrics: { tasks: { completed: number } };
    };
    expect(api.metrics.tasks.completed).toBe(1);

    // Connect first, then append: the stream must deliver the new line.
    const stream = await readEvents(
      new URL("/events", server.url).href,
      (t) => t.includes('"task_completed"') && t.includes('"a2"'),
    );
    appendEvents(files.log, [
      makeEvent(15, "2026-03-01T10:00:50.000Z", {
        event: "task_completed",
        entity_type: "task",
        entity_id: "a2",
        workstream_id: "ws-a",
        from_state: "running",
        to_state: "completed",
        metadata: { record: { secret_prompt: "TOP-SECRET" } },
      }),
    ]);
    await stream.finished;
    const got = dataLines(stream.text);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      seq: 15,
      event: "task_completed",
      entity_id: "a2",
      to_state: "completed",
    });
    expect(stream.text).toContain("id: 15\n");
    expect(stream.text).not.toContain("TOP-SECRET");
  });

  it("replays a backlog on request and resumes after Last-Event-ID", async () => {
    const { server } = await start();
    const backlog = await readEvents(
      new URL("/events?backlog=3", server.url).href,
      (t) => dataLines(t).length >= 3,
    );
    await backlog.finished;
    expect(dataLines(backlog.text).map((e) => e.seq)).toEqual([12, 13, 14]);
    const resumed = await readEvents(new URL("/events", server.url).href, (t) => dataLines(t).length >= 2, {
      "last-event-id": "12",
    });
    await resumed.finished;
    expect(dataLines(resumed.text).map((e) => e.seq)).toEqual([13, 14]);
  });

  it("starts the stream over when .state is started afresh (seq 1 again)", async () => {
    const { server, files } = await start();
    const stream = await readEvents(new URL("/events", server.url).href, (t) => t.includes('"fresh_start"'));
    writeFileSync(files.log, "");
    await new Promise((r) => setTimeout(r, 200));
    appendEvents(files.log, [
      makeEvent(1, "2026-03-02T00:00:00.000Z", {
        event: "fresh_start",
        entity_type: "system",
        entity_id: "s",
      }),
    ]);
    await stream.finished;
    expect(dataLines(stream.text).map((e) => e.seq)).toEqual([1]);
  });

  it("serves an empty dashboard when .state has no snapshot yet", async () => {
    const root = mkdtempSync(join(tmpdir(), "weft-serve-"));
    const server = await createDashboardServer({
      files: { current: join(root, "current.json"), log: join(root, "transitions.jsonl") },
      port: 0,
    });
    servers.push(server);
    const html = await (await fetch(server.url)).text();
    expect(html).toContain("No workstreams");
    expect(await (await fetch(new URL("/metrics", server.url))).text()).toContain(
      'weft_tasks{status="running"} 0',
    );
    expect((await fetch(new URL("/nope", server.url))).status).toBe(404);
    // A torn or foreign current.json is answered as "no state", never with a crash.
    writeFileSync(join(root, "current.json"), '{"seq": 3, "tasks": [');
    expect((await fetch(server.url)).status).toBe(200);
    writeFileSync(join(root, "current.json"), '{"seq": 3, "tasks": []}');
    expect(((await (await fetch(new URL("/api/metrics", server.url))).json()) as { seq: number }).seq).toBe(
      3,
    );
    expect((await fetch(server.url, { method: "POST" })).status).toBe(405);
  });

  it("refuses a non-loopback host without a token, and an empty token", async () => {
    const root = mkdtempSync(join(tmpdir(), "weft-serve-"));
    const files = { current: join(root, "current.json"), log: join(root, "transitions.jsonl") };
    await expect(createDashboardServer({ files, host: "0.0.0.0", port: 0 })).rejects.toMatchObject({
      code: "OBS_SERVE_TOKEN_REQUIRED",
    });
    await expect(createDashboardServer({ files, port: 0, token: "" })).rejects.toMatchObject({
      code: "OBS_SERVE_TOKEN_REQUIRED",
    });
    await expect(createDashboardServer({ files, port: 70000 })).rejects.toMatchObject({
      code: "OBS_SERVE_LISTEN_FAILED",
    });
  });

  it("with a token, requires it as a bearer header or ?token=", async () => {
    const { server } = await start({ host: "0.0.0.0", token: "s3cret-token" });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/api/state`)).status).toBe(401);
    expect((await fetch(`${base}/api/state?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/api/state`, { headers: { authorization: "Bearer nope" } })).status).toBe(
      401,
    );
    expect((await fetch(`${base}/api/state?token=s3cret-token`)).status).toBe(200);
    expect(
      (await fetch(`${base}/metrics`, { headers: { authorization: "Bearer s3cret-token" } })).status,
    ).toBe(200);
  });

  it("without a token, refuses requests addressed to a non-loopback Host name (DNS rebinding)", async () => {
    const { server } = await start();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: server.port, path: "/api/state", headers: { host: "evil.example:80" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(401);
  });

  it("reports a port in use as OBS_SERVE_LISTEN_FAILED and closes on abort", async () => {
    const { server, files } = await start();
    await expect(createDashboardServer({ files, port: server.port })).rejects.toMatchObject({
      code: "OBS_SERVE_LISTEN_FAILED",
    });
    const controller = new AbortController();
    const other = await createDashboardServer({ files, port: 0, signal: controller.signal });
    const stream = await readEvents(new URL("/events", other.url).href, () => false);
    controller.abort();
    await other.closed;
    await stream.finished;
    await expect(fetch(other.url)).rejects.toThrow();
  });
});
