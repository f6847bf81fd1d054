import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkTransition,
  requireTransition,
  STATE_MACHINES,
  TASK_MACHINE,
  WORKER_MACHINE,
  WORKSTREAM_MACHINE,
} from "./state-machines.js";

describe("state machines as data (SM-DEF-001..003)", () => {
  it("every transition names known states and a severity", () => {
    for (const m of Object.values(STATE_MACHINES)) {
      for (const t of m.transitions) {
        for (const f of t.from) expect(m.states).toContain(f);
        expect(m.states).toContain(t.to);
        expect(["info", "warning", "error", "critical"]).toContain(t.severity);
        expect(t.event).toMatch(/^[a-z][a-z0-9_]*$/);
      }
    }
  });

  it("allows the SPEC §4 task transitions and refuses leaving a terminal state without a person", () => {
    expect(checkTransition(TASK_MACHINE, "pending", "queued", "scheduler_assigned").ok).toBe(true);
    expect(checkTransition(TASK_MACHINE, "running", "queued", "orchestrator_restarted").ok).toBe(true);
    const back = checkTransition(TASK_MACHINE, "completed", "running");
    expect(back.ok).toBe(false);
    if (!back.ok) expect(back.reason).toContain("terminal");
    expect(checkTransition(TASK_MACHINE, "failed", "pending", "manual_retry").ok).toBe(false);
    expect(checkTransition(TASK_MACHINE, "failed", "pending", "manual_retry", { manual: true }).ok).toBe(
      true,
    );
    expect(() => requireTransition(TASK_MACHINE, "pending", "running", "worker_started")).toThrow(
      /illegal transition/,
    );
  });

  it("gives the severity the spec assigns (timeouts warn while retries remain, fail with error)", () => {
    const c1 = checkTransition(TASK_MACHINE, "running", "retrying", "task_timeout");
    const c2 = checkTransition(TASK_MACHINE, "running", "failed", "task_timeout");
    expect(c1.ok && c1.transition.severity).toBe("warning");
    expect(c2.ok && c2.transition.severity).toBe("error");
    const w = checkTransition(WORKER_MACHINE, "busy", "unresponsive", "heartbeat_missed");
    expect(w.ok && w.transition.severity).toBe("critical");
    const ws = checkTransition(WORKSTREAM_MACHINE, "validating", "failed", "merge_conflict");
    expect(ws.ok && ws.transition.event).toBe("merge_conflict");
  });

  it("property: a random walk along allowed transitions never reaches an unknown state and stops at terminals", () => {
    for (const m of Object.values(STATE_MACHINES)) {
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 40 }), (choices) => {
          let state = m.initial;
          for (const c of choices) {
            const options = m.transitions.filter((t) => t.from.includes(state) && !t.manual);
            if (options.length === 0) {
              expect(m.terminal).toContain(state);
              return;
            }
            const t = options[c % options.length]!;
            expect(checkTransition(m, state, t.to, t.trigger).ok).toBe(true);
            state = t.to;
          }
          expect(m.states).toContain(state);
        }),
      );
    }
  });

  it("property: any pair not in the table is refused", () => {
    for (const m of Object.values(STATE_MACHINES)) {
      for (const from of m.states) {
        for (const to of m.states) {
          const listed = m.transitions.some((t) => t.from.includes(from) && t.to === to);
          expect(checkTransition(m, from, to, undefined, { manual: true }).ok).toBe(listed);
        }
      }
    }
  });
});
