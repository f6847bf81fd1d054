import { describe, expect, it } from "vitest";
import { downgradeTaskV2ToV1, migrateTaskV1ToV2 } from "./migrate-task.js";
import { TaskDefinition } from "./task-definition.js";

const v1Aider = {
  task_id: "task-001",
  workstream_id: "ws-001",
  name: "Add greeting",
  description: "Add a greeting function",
  type: "aider",
  dependencies: [],
  execution: { command: "aider", timeout_seconds: 300, max_retries: 2 },
  x_custom: 1,
};

describe("task migration 1.0.0 → 2.0.0 (SCHEMA-VER-002, SPEC §12)", () => {
  it("adds the aider defaults exactly, keeps every field, puts schema_version first", () => {
    const out = migrateTaskV1ToV2(v1Aider);
    expect(Object.keys(out)[0]).toBe("schema_version");
    expect(out).toEqual({
      schema_version: "2.0.0",
      ...v1Aider,
      context_requirements: {
        max_context_tokens: 8000,
        required_files: [],
        optional_files: [],
        exclude_patterns: ["**/__pycache__/**", "**/*.pyc", "**/node_modules/**"],
      },
      validation_rules: { pre_execution: ["git_clean"], post_execution: ["no_lint_errors"] },
    });
    expect(TaskDefinition.safeParse(out).success).toBe(true);
  });

  it("pytest gets tests_passing; lint and custom get empty rules", () => {
    expect(migrateTaskV1ToV2({ ...v1Aider, type: "pytest" }).validation_rules).toEqual({
      pre_execution: [],
      post_execution: ["tests_passing"],
    });
    const lint = migrateTaskV1ToV2({ ...v1Aider, type: "lint" });
    expect(lint.validation_rules).toEqual({ pre_execution: [], post_execution: [] });
    expect(lint.context_requirements).toBeUndefined();
  });

  it("refuses unknown versions and round-trips through the downgrade", () => {
    expect(() => migrateTaskV1ToV2({ ...v1Aider, schema_version: "9.0.0" })).toThrow(/cannot migrate/);
    const { task, dropped } = downgradeTaskV2ToV1(migrateTaskV1ToV2(v1Aider));
    expect(task.schema_version).toBe("1.0.0");
    expect(task.context_requirements).toBeUndefined();
    expect(Object.keys(dropped).sort()).toEqual(["context_requirements", "validation_rules"]);
  });
});
