import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CapabilityEntry,
  defaultConfig,
  type ResourceEntry,
  ResourceEntry as ResourceEntrySchema,
  TaskDefinition,
  type WeftConfig,
  WeftConfig as WeftConfigSchema,
  WorkstreamDefinition,
} from "@weft/core-schema";
import { createEngine, type EngineOptions, type EngineRepo } from "../src/create-engine.js";
import { createMemoryStateStore, type MemoryStateStore } from "../src/memory-state-store.js";

export function tempDir(prefix = "weft-sched-"): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> | T[K] : T[K] };

/** A task definition (schema 2.0.0) from a few fields. */
export function task(
  id: string,
  ws: string,
  fields: Record<string, unknown> & { command?: string } = {},
): TaskDefinition {
  const { command, execution, ...rest } = fields as { command?: string; execution?: Record<string, unknown> };
  return TaskDefinition.parse({
    schema_version: "2.0.0",
    task_id: id,
    workstream_id: ws,
    name: id,
    type: "custom",
    execution: { command: command ?? "true", timeout_seconds: 30, retry_delay_seconds: 0.01, ...execution },
    ...rest,
  });
}

export function workstream(id: string, fields: Record<string, unknown> = {}): WorkstreamDefinition {
  return WorkstreamDefinition.parse({ workstream_id: id, ...fields });
}

export function resource(fields: Record<string, unknown>): ResourceEntry {
  return ResourceEntrySchema.parse(fields);
}

export function config(fields: DeepPartial<WeftConfig> | Record<string, unknown> = {}): WeftConfig {
  return WeftConfigSchema.parse({ ...fields });
}

export function repoOf(input: {
  tasks: TaskDefinition[];
  workstreams?: WorkstreamDefinition[];
  resources?: ResourceEntry[];
  capabilities?: CapabilityEntry[];
  config?: WeftConfig;
}): EngineRepo {
  return {
    tasks: input.tasks,
    workstreams: input.workstreams ?? [],
    resources: input.resources ?? [],
    capabilities: input.capabilities ?? [],
    config: input.config ?? defaultConfig(),
  };
}

/** Runs an engine on an in-memory store with isolation none in `dir`. */
export async function runMemory(
  repo: EngineRepo,
  dir: string,
  extra: Partial<EngineOptions> = {},
): Promise<{
  store: MemoryStateStore;
  summary: Awaited<ReturnType<ReturnType<typeof createEngine>["run"]>>;
}> {
  const store = (extra.store as MemoryStateStore | undefined) ?? createMemoryStateStore();
  const engine = createEngine({ repo, repoRoot: dir, store, isolation: "none", workers: 2, ...extra });
  const summary = await engine.run();
  return { store, summary };
}

export function eventsOf(store: MemoryStateStore, taskId: string): string[] {
  return store.events
    .filter((e) => e.entity_id === taskId && e.to_state !== null)
    .map((e) => `${e.from_state}>${e.to_state}:${e.trigger}`);
}
