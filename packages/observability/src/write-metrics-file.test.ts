import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MetricsDocument } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import { computeMetrics } from "./compute-metrics.js";
import { modelOf, sampleEvents } from "./test-fixtures.js";
import { historyFileName, pruneMetricsHistory, writeMetricsFile } from "./write-metrics-file.js";

function setup() {
  const dir = join(mkdtempSync(join(tmpdir(), "weft-obs-")), ".state");
  mkdirSync(dir);
  return { metrics: join(dir, "metrics.json"), historyDir: join(dir, "metrics") };
}

const at = (iso: string) => computeMetrics(modelOf(sampleEvents()), { errors: {} }, new Date(iso));

describe("writeMetricsFile (OBS-001)", () => {
  it("writes metrics.json atomically (no .tmp left) and appends one history line per write", () => {
    const files = setup();
    writeMetricsFile(files, at("2026-03-01T10:01:00.000Z"));
    const r = writeMetricsFile(files, at("2026-03-01T10:02:00.000Z"));
    expect(MetricsDocument.parse(JSON.parse(readFileSync(files.metrics, "utf8"))).timestamp).toBe(
      "2026-03-01T10:02:00.000Z",
    );
    expect(existsSync(`${files.metrics}.tmp`)).toBe(false);
    expect(r.historyFile).toBe(join(files.historyDir, "history-20260301.jsonl"));
    const lines = readFileSync(r.historyFile, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l).timestamp)).toEqual([
      "2026-03-01T10:01:00.000Z",
      "2026-03-01T10:02:00.000Z",
    ]);
  });

  it("keeps retention.metrics_days days of history and leaves other files alone", () => {
    const files = setup();
    mkdirSync(files.historyDir, { recursive: true });
    for (const day of ["20260101", "20260129", "20260130", "20260131"])
      writeFileSync(join(files.historyDir, `history-${day}.jsonl`), "{}\n");
    writeFileSync(join(files.historyDir, "notes.txt"), "keep me");
    const r = writeMetricsFile(files, at("2026-02-28T08:00:00.000Z"), { retentionDays: 30 });
    // 30 days ending 2026-02-28 start on 2026-01-30.
    expect(r.pruned.map((p) => p.slice(-22))).toEqual(["history-20260101.jsonl", "history-20260129.jsonl"]);
    expect(readdirSync(files.historyDir).sort()).toEqual([
      "history-20260130.jsonl",
      "history-20260131.jsonl",
      "history-20260228.jsonl",
      "notes.txt",
    ]);
  });

  it("prunes nothing in a missing directory and names files by UTC day", () => {
    expect(pruneMetricsHistory(join(tmpdir(), "weft-no-such-dir-xyz"), 30, new Date())).toEqual([]);
    expect(historyFileName("2026-12-31T23:59:59.999Z")).toBe("history-20261231.jsonl");
  });

  it("reports an unwritable target as STATE_IO", () => {
    const files = setup();
    writeFileSync(join(files.historyDir), "a file where the directory should be");
    expect(() => writeMetricsFile(files, at("2026-03-01T10:01:00.000Z"))).toThrow(
      expect.objectContaining({ code: "STATE_IO" }),
    );
  });
});
