import { describe, expect, it } from "vitest";
import { CapabilityRegistry, resolveCapability, toSnakeCase } from "./capability-registry.js";
import { isValidId } from "./ids.js";
import { ResourceEntry, refillPerSecond } from "./resource-registry.js";
import { TaskDefinition } from "./task-definition.js";
import { isWeftError, WeftError } from "./weft-error.js";

/** The SPEC §3 example task (the original implementation guide's task-001). */
export const SPEC_EXAMPLE_TASK = {
  schema_version: "2.0.0",
  task_id: "task-001",
  workstream_id: "ws-001",
  name: "Implement user authentication",
  description: "Add JWT-based authentication to the API",
  type: "aider",
  status: "pending",
  dependencies: [],
  blocks: ["task-002"],
  worker_requirements: { capabilities: ["aider", "python"], min_version: "1.0.0" },
  execution: {
    command: "aider --yes --message '{prompt}'",
    working_directory: ".",
    timeout_seconds: 600,
    max_retries: 3,
    retry_delay_seconds: 30,
  },
  context_requirements: {
    max_context_tokens: 8000,
    required_files: ["src/auth.py", "tests/test_auth.py"],
    optional_files: ["docs/api.md"],
    exclude_patterns: ["**/__pycache__/**"],
  },
  validation_rules: { pre_execution: ["git_clean"], post_execution: ["tests_passing", "no_lint_errors"] },
  state: {
    created_at: null,
    started_at: null,
    completed_at: null,
    assigned_worker: null,
    retry_count: 0,
    last_error: null,
  },
};

describe("document schemas", () => {
  it("accepts the SPEC §3 example task (TASK-DEF-001)", () => {
    const r = TaskDefinition.safeParse(SPEC_EXAMPLE_TASK);
    expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
  });

  it("rejects bad ids, wrong types and command-less command tasks with a path", () => {
    const bad = TaskDefinition.safeParse({
      ...SPEC_EXAMPLE_TASK,
      task_id: "../etc",
      execution: { timeout_seconds: "10" },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toContain("task_id");
    expect(paths).toContain("execution.timeout_seconds");
    const lint = TaskDefinition.safeParse({ ...SPEC_EXAMPLE_TASK, type: "lint", execution: {} });
    expect(lint.error!.issues.map((i) => i.path.join("."))).toContain("execution.command");
    for (const id of ["..", "a/b", "a b", "", "-x", "a\u0000"]) expect(isValidId(id), id).toBe(false);
    expect(isValidId("task-001.v2_x")).toBe(true);
  });

  it("matches capabilities by id, name or snake_case name (SPEC §6)", () => {
    const reg = CapabilityRegistry.parse([
      { CapabilityId: "cap-git", Version: "2.1.0", Name: "GitOperations" },
    ]);
    expect(toSnakeCase("GitOperations")).toBe("git_operations");
    expect(resolveCapability(reg, "git_operations")?.CapabilityId).toBe("cap-git");
    expect(resolveCapability(reg, "cap-git")).toBeDefined();
    expect(resolveCapability(reg, "docker")).toBeUndefined();
  });

  it("checks resource entries (CONC-REG-001)", () => {
    expect(ResourceEntry.safeParse({ ResourceId: "api", Type: "rate_limited", MaxHolders: 10 }).success).toBe(
      false,
    );
    expect(
      ResourceEntry.safeParse({
        ResourceId: "api",
        Type: "rate_limited",
        MaxHolders: 10,
        RefillRate: "60/minute",
      }).success,
    ).toBe(true);
    expect(refillPerSecond("60/minute")).toBe(1);
  });

  it("WeftError is recognised without instanceof", () => {
    const e = new WeftError("DAG_CYCLE", "cycle", { hint: "break it" });
    expect(isWeftError(e)).toBe(true);
    expect(isWeftError({ code: "DAG_CYCLE", message: "cycle" })).toBe(false);
    expect(isWeftError(new Error("x"))).toBe(false);
  });
});
