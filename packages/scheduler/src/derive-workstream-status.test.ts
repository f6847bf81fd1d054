import { describe, expect, it } from "vitest";
import { deriveWorkstreamStatus } from "./derive-workstream-status.js";

const base = {
  total: 3,
  byStatus: {},
  criticalTotal: 3,
  criticalCompleted: 0,
  criticalFailed: 0,
  everStarted: false,
  cancelledByPerson: false,
};

describe("deriveWorkstreamStatus (SM-DEF-002, SPEC §5 rules in order)", () => {
  it("no tasks → planned", () => expect(deriveWorkstreamStatus({ ...base, total: 0 })).toBe("planned"));
  it("cancelled by a person wins over everything but planned", () =>
    expect(deriveWorkstreamStatus({ ...base, cancelledByPerson: true, criticalFailed: 1 })).toBe(
      "cancelled",
    ));
  it("a critical failure → failed", () =>
    expect(
      deriveWorkstreamStatus({
        ...base,
        byStatus: { failed: 1, running: 2 },
        criticalFailed: 1,
        everStarted: true,
      }),
    ).toBe("failed"));
  it("all settled and critical completed → validating (non-critical failure + blocked dependents)", () =>
    expect(
      deriveWorkstreamStatus({
        ...base,
        byStatus: { completed: 1, failed: 1, blocked: 1 },
        criticalTotal: 1,
        criticalCompleted: 1,
        everStarted: true,
      }),
    ).toBe("validating"));
  it("a critical task blocked behind a non-critical failure → failed, never stuck", () =>
    expect(
      deriveWorkstreamStatus({
        ...base,
        byStatus: { completed: 1, failed: 1, blocked: 1 },
        criticalTotal: 2,
        criticalCompleted: 1,
        everStarted: true,
      }),
    ).toBe("failed"));
  it("all pending/queued and never started → ready", () =>
    expect(deriveWorkstreamStatus({ ...base, byStatus: { pending: 2, queued: 1 } })).toBe("ready"));
  it("otherwise executing", () => {
    expect(deriveWorkstreamStatus({ ...base, byStatus: { pending: 2, running: 1 }, everStarted: true })).toBe(
      "executing",
    );
    expect(deriveWorkstreamStatus({ ...base, byStatus: { pending: 2, queued: 1 }, everStarted: true })).toBe(
      "executing",
    );
  });
});
