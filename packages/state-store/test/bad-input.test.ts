import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isWeftError } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import {
  archiveSegmentPath,
  checkStateDir,
  openStateStore,
  readEvents,
  readStatus,
  statePaths,
  verifyLog,
} from "../src/index.js";
import { taskDraft, tmpStateDir } from "./helpers.js";

async function stateWith(n: number, settings = {}): Promise<string> {
  const dir = tmpStateDir();
  const { store } = await openStateStore({ stateDir: dir, settings });
  for (let i = 1; i <= n; i++) {
    store.commit([taskDraft(`t${i % 4}`, ["queued", "running", "completed"][i % 3]!, { worker_id: "w1" })]);
    if (i % 3 === 0) await store.flush();
  }
  await store.close();
  return dir;
}

const read = (f: string) => readFileSync(f, "utf8");
const lines = (dir: string) => read(statePaths(dir).log).split("\n").slice(0, -1);

describe("bad input: each gets a clear message and the right recovery or refusal", () => {
  it("a truncated snapshot → rebuilt from the log, state_corruption (critical), the bad file quarantined", async () => {
    const dir = await stateWith(12);
    const p = statePaths(dir);
    const before = read(p.current);
    truncateSync(p.current, 200);
    const issues = await checkStateDir(dir);
    expect(issues.some((i) => i.requirement === "STATE-OBS-001" && /not valid JSON/.test(i.message))).toBe(
      true,
    );
    const { store, recovery } = await openStateStore({ stateDir: dir });
    expect(recovery.rebuiltFromLog).toBe(true);
    expect(recovery.rebuildReason).toMatch(/current\.json is corrupt \(.*current\.json:\d+:\d+/);
    const ev = recovery.events.find((e) => e.event === "state_corruption");
    expect(ev?.severity).toBe("critical");
    expect(recovery.quarantinedSnapshot).not.toBeNull();
    expect(read(recovery.quarantinedSnapshot!)).toBe(before.slice(0, 200));
    expect(store.model.seq).toBe(13);
    expect(store.model.tasks.size).toBe(4);
    await store.close();
    const again = JSON.parse(read(p.current));
    expect(again.seq).toBe(13);
  });

  it("a missing snapshot with a non-empty log → rebuilt, state_corruption", async () => {
    const dir = await stateWith(5);
    const p = statePaths(dir);
    const { unlinkSync } = await import("node:fs");
    unlinkSync(p.current);
    const { store, recovery } = await openStateStore({ stateDir: dir });
    expect(recovery.rebuildReason).toBe("current.json is missing");
    expect(store.model.seq).toBe(6);
    await store.close();
  });

  it("a corrupt line in the middle of the log → refused with file:line, nothing modified", async () => {
    const dir = await stateWith(10);
    const p = statePaths(dir);
    const l = lines(dir);
    l[4] = `${l[4]!.slice(0, 30)}#garbage`;
    writeFileSync(p.log, `${l.join("\n")}\n`);
    const logBefore = read(p.log);
    const snapBefore = read(p.current);
    const err = await openStateStore({ stateDir: dir }).catch((e: unknown) => e);
    expect(isWeftError(err) && err.code).toBe("STATE_CORRUPT");
    expect(isWeftError(err) && err.details).toMatchObject({ file: p.log, line: 5 });
    expect(isWeftError(err) && err.hint).toMatch(/weft audit verify/);
    expect(read(p.log)).toBe(logBefore);
    expect(read(p.current)).toBe(snapBefore);
    expect(existsSync(p.lock)).toBe(false);
    const v = verifyLog(p);
    expect(v.ok).toBe(false);
    expect(v.issues[0]).toMatchObject({ requirement: "STATE-OBS-004", line: 5 });
  });

  it("a duplicated seq in the log → refused (STATE_CORRUPT), verify reports AUDIT-001", async () => {
    const dir = await stateWith(8, { hash_chain: false });
    const p = statePaths(dir);
    const l = lines(dir);
    const dup = JSON.parse(l[3]!);
    dup.event_id = "another-id";
    l.splice(4, 0, JSON.stringify(dup));
    writeFileSync(p.log, `${l.join("\n")}\n`);
    const err = await openStateStore({ stateDir: dir }).catch((e: unknown) => e);
    expect(isWeftError(err) && err.code).toBe("STATE_CORRUPT");
    expect((err as Error).message).toMatch(/duplicated seq 4/);
    expect(isWeftError(err) && err.details).toMatchObject({ file: p.log, line: 5, column: 1 });
    const v = verifyLog(p);
    expect(v.issues.some((i) => i.requirement === "AUDIT-001" && /duplicated seq 4/.test(i.message))).toBe(
      true,
    );
  });

  it("an edited line breaks the hash chain → verify and open both point at the next line", async () => {
    const dir = await stateWith(6);
    const p = statePaths(dir);
    const l = lines(dir);
    const ev = JSON.parse(l[2]!);
    ev.actor = "user:mallory";
    l[2] = JSON.stringify(ev);
    writeFileSync(p.log, `${l.join("\n")}\n`);
    const v = verifyLog(p);
    expect(v.issues).toHaveLength(1);
    expect(v.issues[0]).toMatchObject({ requirement: "AUDIT-001", line: 4 });
    const err = await openStateStore({ stateDir: dir }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/hash chain broken/);
    expect(isWeftError(err) && err.details.line).toBe(4);
  });

  it("an index from an older snapshot → readers answer from current.json; validate flags it; open regenerates", async () => {
    const dir = await stateWith(6);
    const p = statePaths(dir);
    const oldIdx = read(p.byWorkstream);
    const { store } = await openStateStore({ stateDir: dir });
    store.commit([
      taskDraft("new1", "failed", {
        workstream_id: "ws9",
        metadata: { record: { last_error: { type: "execution_failed", message: "boom" } } },
      }),
    ]);
    await store.close();
    writeFileSync(p.byWorkstream, oldIdx);
    const status = readStatus(p);
    expect(status.index).toBe("stale");
    expect(status.workstreams.find((w) => w.workstream_id === "ws9")).toMatchObject({
      total: 1,
      counts: { failed: 1 },
    });
    expect(status.failed).toEqual([
      { task_id: "new1", workstream_id: "ws9", error: "execution_failed: boom" },
    ]);
    const issues = await checkStateDir(dir);
    expect(issues.filter((i) => i.requirement === "STATE-OBS-006").map((i) => i.file)).toEqual([
      p.byWorkstream,
    ]);
    const { store: s2 } = await openStateStore({ stateDir: dir });
    await s2.close();
    expect(readStatus(p).index).toBe("fresh");
    expect(await checkStateDir(dir)).toEqual([]);
  });

  it("an archive that is not gzip → STATE_ARCHIVE_INVALID on read and open, AUDIT-002 in verify", async () => {
    const dir = await stateWith(3);
    const p = statePaths(dir);
    const bad = archiveSegmentPath(p, "20200101");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(bad, ".."), { recursive: true });
    writeFileSync(bad, "this is not gzip\n");
    expect(() => [...readEvents(p)]).toThrow(/not a readable gzip archive/);
    const err = await openStateStore({ stateDir: dir }).catch((e: unknown) => e);
    expect(isWeftError(err) && err.code).toBe("STATE_ARCHIVE_INVALID");
    expect(isWeftError(err) && err.details.file).toBe(bad);
    const v = verifyLog(p);
    expect(v.issues.find((i) => i.requirement === "AUDIT-002")?.file).toBe(bad);
    expect(v.segments.find((s) => s.file === bad)?.readable).toBe(false);
  });

  it("a torn last line → cut and reported; its event comes back from recent_events", async () => {
    const dir = await stateWith(9);
    const p = statePaths(dir);
    const full = read(p.log);
    const l = lines(dir);
    const lastId = JSON.parse(l.at(-1)!).event_id;
    writeFileSync(p.log, full.slice(0, full.length - 25));
    const { store, recovery } = await openStateStore({ stateDir: dir });
    expect(recovery.tornLineCut).toMatchObject({ line: 9 });
    expect(recovery.appendedFromSnapshot).toBe(1);
    await store.close();
    const after = lines(dir);
    expect(JSON.parse(after[8]!).event_id).toBe(lastId);
    expect(verifyLog(p).ok).toBe(true);
  });

  it("a crash between rename and append → the missing events are appended from the snapshot (STATE-OBS-003)", async () => {
    const dir = await stateWith(9);
    const p = statePaths(dir);
    const l = lines(dir);
    writeFileSync(p.log, `${l.slice(0, 6).join("\n")}\n`);
    writeFileSync(`${p.current}.tmp`, "{half");
    const { store, recovery } = await openStateStore({ stateDir: dir });
    expect(recovery.appendedFromSnapshot).toBe(3);
    expect(recovery.removedTmpFiles).toEqual(["current.json.tmp"]);
    expect(recovery.events.map((e) => e.event)).toEqual(["state_recovered"]);
    await store.close();
    expect(lines(dir).slice(0, 9)).toEqual(l);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("a snapshot ahead of a log whose recent_events cannot fill the gap → refused, nothing lost", async () => {
    const dir = await stateWith(30, { recent_events_max: 3 });
    const p = statePaths(dir);
    const l = lines(dir);
    writeFileSync(p.log, `${l.slice(0, 10).join("\n")}\n`);
    await expect(openStateStore({ stateDir: dir })).rejects.toThrow(/recent_events cannot fill the gap/);
    expect(lines(dir)).toHaveLength(10);
  });
});

describe("I/O errors", () => {
  it("an unwritable .state → STATE_IO naming the path, not a raw errno", async () => {
    const { mkdtempSync, writeFileSync: write } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const base = mkdtempSync(join(tmpdir(), "weft-io-"));
    write(join(base, ".state"), "a file where the directory should be");
    const err = await openStateStore({ stateDir: join(base, ".state") }).catch((e: unknown) => e);
    expect(isWeftError(err) && err.code).toBe("STATE_IO");
    expect((err as Error).message).toContain(join(base, ".state"));
  });
});
