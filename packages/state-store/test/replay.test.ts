import { readFileSync } from "node:fs";
import type { CurrentState } from "@weft/core-schema";
import { describe, expect, it } from "vitest";
import { openStateStore, replayAt, statePaths } from "../src/index.js";
import { steppingClock, taskDraft, tmpStateDir } from "./helpers.js";

const strip = ({ recent_events: _r, ...rest }: CurrentState) => rest;

describe("weft replay --at (AUDIT-001)", () => {
  it("the state at every snapshot's moment equals the snapshot the run had then", async () => {
    const dir = tmpStateDir();
    const p = statePaths(dir);
    const recorded: CurrentState[] = [];
    // A clock with 3 ms steps and bursts of 1–4 events per batch: several events share a timestamp.
    const { store } = await openStateStore({
      stateDir: dir,
      now: steppingClock("2026-01-10T10:00:00.000Z", 3),
    });
    let seed = 17;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const statuses = ["queued", "running", "validating", "retrying", "completed", "failed"];
    for (let i = 0; i < 60; i++) {
      const n = 1 + Math.floor(rand() * 4);
      const drafts = [];
      for (let k = 0; k < n; k++) {
        drafts.push(
          taskDraft(`t${Math.floor(rand() * 12)}`, statuses[Math.floor(rand() * statuses.length)]!, {
            worker_id: `w${k}`,
            workstream_id: `ws${k % 2}`,
            metadata: { record: { tokens_used: i * 10 } },
          }),
        );
      }
      store.commit(drafts);
      await store.flush();
      recorded.push(JSON.parse(readFileSync(p.current, "utf8")));
    }
    await store.close();
    // The latest snapshot per timestamp is "the state at that moment".
    const byTime = new Map<string, CurrentState>();
    for (const s of recorded) byTime.set(s.timestamp, s);
    expect(byTime.size).toBeGreaterThan(30);
    for (const [at, snap] of byTime) {
      const r = replayAt(p, { at });
      expect(strip(JSON.parse(JSON.stringify(r.state)))).toEqual(strip(snap));
    }
    // And by seq, every recorded snapshot exactly.
    for (const snap of recorded)
      expect(strip(JSON.parse(JSON.stringify(replayAt(p, { seq: snap.seq }).state)))).toEqual(strip(snap));
    // Before the first event: empty.
    expect(replayAt(p, { at: "2000-01-01T00:00:00.000Z" }).state.tasks).toEqual([]);
  });
});
