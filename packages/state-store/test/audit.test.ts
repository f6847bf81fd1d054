import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { isWeftError } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import {
  buildAuditReport,
  checkStateDir,
  explainTask,
  formatAttemptHeader,
  openStateStore,
  queryEvents,
  readEvents,
  renderAuditReportMarkdown,
  replayAt,
  rotateLog,
  statePaths,
  verifyLog,
} from "../src/index.js";
import { taskDraft, tmpStateDir } from "./helpers.js";

/** Three UTC days of history: 10 events per day, a failure, a manual retry, tokens and cost. */
async function threeDays(): Promise<string> {
  const dir = tmpStateDir();
  let now = Date.parse("2026-03-01T22:00:00.000Z");
  const clock = () => new Date(now);
  const { store } = await openStateStore({ stateDir: dir, now: clock });
  for (let day = 0; day < 3; day++) {
    now = Date.parse(`2026-03-0${day + 1}T10:00:00.000Z`);
    for (let i = 0; i < 5; i++) {
      const id = `d${day}t${i}`;
      store.commit([taskDraft(id, "running", { worker_id: "w1", metadata: { attempt: 1 } })]);
      store.appendTaskLog(id, formatAttemptHeader(id, 1, clock().toISOString(), "w1"));
      store.appendTaskLog(id, `output of ${id}\n`);
      now += 60_000;
      if (day === 1 && i === 2) {
        store.commit([
          taskDraft(id, "failed", {
            from_state: "running",
            trigger: "execution_failed",
            metadata: {
              attempt: 1,
              duration_seconds: 60,
              exit_code: 3,
              error_type: "execution_failed",
              error_message: "exit 3",
              record: {
                tokens_used: 500,
                cost_usd: 0.25,
                last_error: { type: "execution_failed", message: "exit 3" },
              },
            },
          }),
          {
            ...taskDraft(id, "queued", { from_state: "failed", trigger: "user_retry" }),
            event_type: "manual_override",
            severity: "warning",
            actor: "user:alice",
          },
        ]);
      } else {
        store.commit([
          taskDraft(id, "completed", {
            from_state: "running",
            trigger: "validation_passed",
            metadata: { attempt: 1, duration_seconds: 30, record: { tokens_used: 100, cost_usd: 0.05 } },
          }),
        ]);
      }
      await store.flush();
    }
  }
  await store.close();
  return dir;
}

describe("weft audit rotate / verify / report (AUDIT-001/002)", () => {
  it("rotates closed UTC days to archive/transitions/YYYY/MM/transitions_YYYYMMDD.jsonl.gz; queries read them transparently", async () => {
    const dir = await threeDays();
    const p = statePaths(dir);
    const before = [...readEvents(p)].map((e) => e.text);
    const atDay2 = replayAt(p, { at: "2026-03-02T23:59:59.999Z" }).state;
    const r = rotateLog(p, { now: () => new Date("2026-03-03T12:00:00.000Z") });
    expect(r.segments.map((s) => s.file.slice(p.dir.length))).toEqual([
      "/archive/transitions/2026/03/transitions_20260301.jsonl.gz",
      "/archive/transitions/2026/03/transitions_20260302.jsonl.gz",
    ]);
    expect(r.segments.map((s) => s.lines)).toEqual([10, 11]);
    expect(r.kept_lines).toBe(10);
    expect(readFileSync(p.log, "utf8").split("\n")).toHaveLength(11);
    expect(gunzipSync(readFileSync(r.segments[0]!.file)).toString().split("\n")[0]).toBe(before[0]);
    // Same history, same order, same bytes.
    expect([...readEvents(p)].map((e) => e.text)).toEqual(before);
    expect(replayAt(p, { at: "2026-03-02T23:59:59.999Z" }).state).toEqual(atDay2);
    const v = verifyLog(p);
    expect(v.ok).toBe(true);
    expect(v.segments.map((s) => s.kind)).toEqual(["archive", "archive", "live"]);
    expect(v.hash_chained).toBe(30);
    expect([...queryEvents(p, { task: "d1t2" })].map((e) => e.to_state)).toEqual([
      "running",
      "failed",
      "queued",
    ]);
    // The writer continues the chain over the archives.
    const { store } = await openStateStore({ stateDir: dir });
    store.commit([taskDraft("after", "queued")]);
    await store.close();
    expect(verifyLog(p).ok).toBe(true);
    expect(await checkStateDir(dir)).toEqual([]);
  });

  it("the size rule closes today's lines too; a second rotation the same day adds a _002 part", async () => {
    const dir = await threeDays();
    const p = statePaths(dir);
    const now = () => new Date("2026-03-03T12:00:00.000Z");
    const r1 = rotateLog(p, { now, rotateMaxMb: 0.000001 });
    expect(r1.size_rule_applied).toBe(true);
    expect(r1.kept_lines).toBe(0);
    const { store } = await openStateStore({ stateDir: dir, now });
    store.commit([taskDraft("x", "queued")]);
    await store.close();
    const r2 = rotateLog(p, { now, rotateMaxMb: 0.000001 });
    expect(r2.segments[0]!.file).toMatch(/transitions_20260303_002\.jsonl\.gz$/);
    expect(verifyLog(p).ok).toBe(true);
    expect([...readEvents(p)].at(-1)!.event.entity_id).toBe("x");
  });

  it("rotation is refused while a live orchestrator holds the lock", async () => {
    const dir = await threeDays();
    const { store } = await openStateStore({ stateDir: dir });
    const err = (() => {
      try {
        rotateLog(statePaths(dir));
      } catch (e) {
        return e;
      }
    })();
    expect(isWeftError(err) && err.code).toBe("STATE_LOCKED");
    await store.close();
  });

  it("an interrupted rotation (archive written, live log not yet cut) loses and duplicates nothing", async () => {
    const dir = await threeDays();
    const p = statePaths(dir);
    const liveBefore = readFileSync(p.log, "utf8");
    rotateLog(p, { now: () => new Date("2026-03-03T12:00:00.000Z") });
    writeFileSync(p.log, liveBefore); // as if the crash came before the live log was rewritten
    expect([...readEvents(p)]).toHaveLength(31);
    expect(verifyLog(p).issues.every((i) => i.severity === "warning")).toBe(true);
    const { store } = await openStateStore({ stateDir: dir });
    expect(store.model.seq).toBe(31);
    await store.close();
    const again = rotateLog(p, { now: () => new Date("2026-03-03T12:00:00.000Z") });
    expect(again.dropped_already_archived).toBe(21);
    expect(verifyLog(p).issues).toEqual([]);
  });

  it("archives task logs of finished tasks older than task_log_days; explain still reads them", async () => {
    const dir = await threeDays();
    const p = statePaths(dir);
    const old = new Date("2026-01-01T00:00:00.000Z");
    utimesSync(`${p.logsDir}/d0t1.log`, old, old);
    const r = rotateLog(p, { now: () => new Date("2026-03-03T12:00:00.000Z"), taskLogDays: 30 });
    expect(r.task_logs_archived.map((f) => f.slice(p.dir.length))).toEqual([
      "/archive/logs/2026/03/d0t1.log.gz",
    ]);
    expect(existsSync(`${p.logsDir}/d0t1.log`)).toBe(false);
    expect(explainTask(p, "d0t1").log?.tail).toEqual(["output of d0t1"]);
  });

  it("report: who did what when, failures, interventions, durations, tokens and cost", async () => {
    const dir = await threeDays();
    const p = statePaths(dir);
    const r = buildAuditReport(p, "2026-03-02T00:00:00.000Z", "2026-03-02T23:59:59.999Z");
    expect(r.events).toBe(11);
    expect(r.failures.map((f) => [f.entity, f.error_type])).toEqual([["task:d1t2", "execution_failed"]]);
    expect(r.interventions).toMatchObject([
      { actor: "user:alice", entity: "task:d1t2", from_state: "failed", to_state: "queued" },
    ]);
    expect(r.tasks).toMatchObject({
      completed: 4,
      failed: 1,
      attempts_timed: 5,
      total_duration_seconds: 180,
      max_duration_seconds: 60,
    });
    expect(r.usage.tokens_used).toBe(900);
    expect(r.usage.cost_usd).toBe(0.45);
    expect(r.actors.map((a) => a.actor)).toEqual(["system", "user:alice"]);
    const md = renderAuditReportMarkdown(r);
    expect(md).toContain("| user:alice | 1 |");
    expect(md).toContain("execution_failed: exit 3");
  });

  it("explain: attempts, errors, gates and the tail of the log", async () => {
    const dir = await threeDays();
    const x = explainTask(statePaths(dir), "d1t2");
    expect(x.status).toBe("queued");
    expect(x.attempts).toMatchObject([
      {
        attempt: 1,
        worker: "w1",
        outcome: "failed",
        exit_code: 3,
        error: { type: "execution_failed", message: "exit 3" },
      },
    ]);
    expect(x.problems.map((e) => e.event)).toEqual(["task_failed", "task_queued"]);
    expect(x.log?.tail).toEqual(["output of d1t2"]);
    expect(x.log?.attempt).toBe(1);
    expect(explainTask(statePaths(dir), "d0t0").gates).toMatchObject([
      { gate: "post_execution", passed: true },
    ]);
    expect(explainTask(statePaths(dir), "nope").found).toBe(false);
  });
});

describe("automatic rotation on open (autoRotate)", () => {
  it("archives closed days under the store's own lock and keeps writing to the new live log", async () => {
    const dir = await threeDays();
    const p = statePaths(dir);
    const { store, recovery } = await openStateStore({
      stateDir: dir,
      now: () => new Date("2026-03-03T12:00:00.000Z"),
      autoRotate: { rotateMaxMb: 100, taskLogDays: 30 },
    });
    expect(recovery.rotation?.segments).toHaveLength(2);
    store.commit([taskDraft("later", "queued")]);
    await store.close();
    const v = verifyLog(p);
    expect(v.ok).toBe(true);
    expect(v.last_seq).toBe(32);
    expect(readFileSync(p.log, "utf8").split("\n")).toHaveLength(12);
  });
});

describe("weft audit restore (AUDIT-002)", () => {
  it("puts a checked backup of a damaged archive back; the damaged copy goes to quarantine", async () => {
    const { copyFileSync, mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { restoreSegment } = await import("../src/index.js");
    const dir = await threeDays();
    const p = statePaths(dir);
    const r = rotateLog(p, { now: () => new Date("2026-03-03T12:00:00.000Z") });
    const seg = r.segments[0]!.file;
    const backupDir = mkdtempSync(join(tmpdir(), "weft-backup-"));
    const backup = join(backupDir, "transitions_20260301.jsonl.gz");
    copyFileSync(seg, backup);
    writeFileSync(seg, "garbage, not gzip");
    expect(verifyLog(p).ok).toBe(false);
    // A bad backup is refused before anything is touched.
    const badBackup = join(backupDir, "transitions_20260302.jsonl.gz");
    writeFileSync(badBackup, "nope");
    expect(() => restoreSegment(p, badBackup)).toThrow(/not gzip/);
    const res = restoreSegment(p, backup);
    expect(res).toMatchObject({
      kind: "archive",
      target: seg,
      lines: 10,
      first_seq: 1,
      last_seq: 10,
      unchanged: false,
    });
    expect(readFileSync(res.replaced!, "utf8")).toBe("garbage, not gzip");
    expect(res.verify.ok).toBe(true);
    expect(restoreSegment(p, backup).unchanged).toBe(true);
  });
});
