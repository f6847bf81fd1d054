import { execFileSync, spawnSync } from "node:child_process";
import type { MetricsDocument } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import { computeMetrics, countErrorEvents } from "./compute-metrics.js";
import { escapeLabelValue, renderPrometheus } from "./render-prometheus.js";
import { modelOf, sampleEvents } from "./test-fixtures.js";

function sample(): MetricsDocument {
  const events = sampleEvents();
  const errors = { ...countErrorEvents(events), worker_crashed: 2, 'weird"name\\x': 1 };
  return computeMetrics(modelOf(events), { errors }, new Date("2026-03-01T10:01:00.000Z"));
}

function promtoolPath(): string | undefined {
  const r = spawnSync("promtool", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? "promtool" : undefined;
}
const promtool = promtoolPath();
if (!promtool) {
  // CI installs it (.ci/apt-packages.txt lists `prometheus`); say loudly why the check is skipped here.
  console.warn(
    "promtool not found: the `promtool check metrics` tests are SKIPPED (apt-get install -y prometheus)",
  );
}

describe("renderPrometheus (OBS-002)", () => {
  it("uses one prefix, HELP/TYPE lines, _total on counters and _seconds for durations", () => {
    const text = renderPrometheus(sample());
    const lines = text.trimEnd().split("\n");
    const samples = lines.filter((l) => !l.startsWith("#"));
    for (const l of samples) expect(l).toMatch(/^weft_[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/);
    const types = new Map(
      lines.filter((l) => l.startsWith("# TYPE ")).map((l) => l.split(" ").slice(2) as [string, string]),
    );
    for (const [name, type] of types) {
      expect(lines).toContain(lines.find((l) => l.startsWith(`# HELP ${name} `)));
      expect(name.endsWith("_total")).toBe(type === "counter");
    }
    expect(types.get("weft_task_average_duration_seconds")).toBe("gauge");
    expect(text).toContain('weft_tasks{status="running"} 1\n');
    expect(text).toContain('weft_tasks{status="completed"} 1\n');
    expect(text).toContain("weft_task_average_duration_seconds 30\n");
    expect(text).toContain('weft_errors_total{event="task_retry"} 1\n');
    expect(text).toContain('weft_errors_total{event="weird\\"name\\\\x"} 1\n');
    expect(text).toContain('weft_workers{status="busy"} 1\n');
    expect(text).toContain("weft_tokens_total 1200\n");
  });

  it("never puts task, run or worker ids in labels", () => {
    const text = renderPrometheus(sample());
    const labelNames = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    expect([...labelNames].sort()).toEqual(["event", "status"]);
    for (const id of ["a1", "a2", "run-1", "w1", "ws-a"]) expect(text).not.toContain(`"${id}"`);
  });

  it("honours metrics.prefix and rejects an invalid one", () => {
    const text = renderPrometheus(sample(), { prefix: "acme_weft_" });
    expect(text).toContain("# TYPE acme_weft_tasks gauge");
    expect(text).not.toMatch(/^weft_/m);
    expect(() => renderPrometheus(sample(), { prefix: "bad-prefix" })).toThrow(/invalid metric prefix/);
  });

  it("renders OpenMetrics with counter families named without _total and # EOF", () => {
    const text = renderPrometheus(sample(), { format: "openmetrics" });
    expect(text).toContain("# TYPE weft_errors counter\n");
    expect(text).toContain('weft_errors_total{event="task_retry"} 1\n');
    expect(text.endsWith("# EOF\n")).toBe(true);
  });

  it("escapes label values", () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it.skipIf(!promtool)("passes `promtool check metrics` (lint included)", () => {
    for (const m of [sample(), computeMetrics(modelOf([]), { errors: {} }, new Date(0))]) {
      const r = spawnSync("promtool", ["check", "metrics"], { input: renderPrometheus(m), encoding: "utf8" });
      expect(`${r.stdout}${r.stderr}`).toBe("");
      expect(r.status).toBe(0);
    }
  });

  it.skipIf(!promtool)("promtool does reject a broken exposition (the check can fail)", () => {
    const broken = renderPrometheus(sample()).replace("weft_errors_total", "weft_errors_count");
    const r = spawnSync("promtool", ["check", "metrics"], { input: broken, encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(execFileSync("promtool", ["--version"], { encoding: "utf8" })).toContain("promtool");
  });
});
