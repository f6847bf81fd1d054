import type { PlanResource, PlanTask } from "../src/index.js";

/** A small realistic workstream: EDIT (aider) → STATIC (lint) → RUNTIME (pytest), with resources and priorities. */
export function sampleTasks(ws = "feature-login"): PlanTask[] {
  const t = (
    task_id: string,
    type: string,
    name: string,
    dependencies: string[],
    extra: Partial<PlanTask> = {},
  ): PlanTask => ({
    task_id,
    workstream_id: ws,
    name,
    type,
    status: "pending",
    dependencies,
    blocks: [],
    ...extra,
  });
  return [
    t("design-schema", "aider", "Design the users table", [], { estimated_duration_seconds: 90 }),
    t("add-model", "aider", "Add the User model", ["design-schema"], { priority: 2 }),
    t("add-api", "aider", "Add /login and /logout endpoints", ["add-model"], {
      estimated_duration_seconds: 240,
    }),
    t("add-ui", "aider", "Add the login form", ["design-schema"], { estimated_duration_seconds: 150 }),
    t("migrate-db", "custom", "Run the database migration", ["add-model"], {
      resource_requirements: { database: "exclusive" },
      estimated_duration_seconds: 45,
    }),
    t("lint-backend", "lint", "Lint the backend", ["add-api"]),
    t("lint-frontend", "lint", "Lint the frontend", ["add-ui"]),
    t("unit-tests", "pytest", "Unit tests", ["add-api", "migrate-db"], {
      resource_requirements: { database: "shared" },
    }),
    t("e2e-tests", "pytest", "End-to-end tests", ["unit-tests", "lint-frontend", "add-ui"], {
      estimated_duration_seconds: 180,
      resource_requirements: { database: "shared", browser: 1 },
    }),
    t("docs", "aider", "Document the login flow", ["add-api"], {
      estimated_duration_seconds: 60,
      priority: -1,
    }),
  ];
}

export const sampleResources: PlanResource[] = [
  { ResourceId: "database", Type: "shared", MaxHolders: 4 },
  { ResourceId: "browser", Type: "pooled", MaxHolders: 2 },
];
