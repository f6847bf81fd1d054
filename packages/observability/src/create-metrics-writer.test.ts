import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMetricsWriter } from "./create-metrics-writer.js";
import { makeEvent, modelOf, sampleEvents } from "./test-fixtures.js";

describe("createMetricsWriter (OBS-001: metrics.json every interval during a run)", () => {
  it("writes on its timer, counts observed error events, and writes a final document on stop", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-mw-"));
    const files = { metrics: join(dir, "metrics.json"), historyDir: join(dir, "metrics") };
    const events = sampleEvents();
    const model = modelOf(events);
    const writer = createMetricsWriter({
      files,
      model: () => model,
      intervalSeconds: 0.05,
      clock: () => new Date("2026-03-01T10:01:00.000Z"),
    });
    writer.observe(events);
    await expect.poll(() => existsSync(files.metrics), { timeout: 5000 }).toBe(true);
    expect(JSON.parse(readFileSync(files.metrics, "utf8")).errors).toEqual({ task_retry: 1 });
    writer.observe([
      makeEvent(99, "2026-03-01T10:00:59.000Z", {
        event: "worker_crashed",
        entity_type: "worker",
        entity_id: "w1",
        severity: "critical",
      }),
    ]);
    const final = writer.stop();
    expect(final?.errors).toEqual({ task_retry: 1, worker_crashed: 1 });
    expect(writer.stop()).toBeUndefined();
    const lines = readFileSync(join(files.historyDir, "history-20260301.jsonl"), "utf8")
      .trimEnd()
      .split("\n");
    const count = lines.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(
      readFileSync(join(files.historyDir, "history-20260301.jsonl"), "utf8").trimEnd().split("\n"),
    ).toHaveLength(count);
  });

  it("logs a failed write instead of throwing", () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-mw-"));
    writeFileSync(join(dir, "metrics"), "not a directory");
    const warnings: unknown[] = [];
    const noop = () => {};
    const writer = createMetricsWriter({
      files: { metrics: join(dir, "metrics.json"), historyDir: join(dir, "metrics") },
      model: () => modelOf([]),
      logger: { debug: noop, info: noop, error: noop, warn: (o) => warnings.push(o) },
    });
    expect(writer.stop()).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});
