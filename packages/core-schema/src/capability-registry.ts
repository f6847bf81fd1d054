import { z } from "zod";
import { Id, SemVer } from "./ids.js";

export const CapabilityStability = z.enum(["experimental", "stable", "deprecated"]);
export type CapabilityStability = z.infer<typeof CapabilityStability>;

/** One entry of `capabilities/registry.*` (CAP-REG-001). Field names are the spec's (PascalCase). */
export const CapabilityEntry = z.looseObject({
  CapabilityId: Id,
  Version: SemVer,
  Name: z.string().min(1),
  Description: z.string().default(""),
  Provider: z.string().default(""),
  DeprecatedBy: z.string().nullable().default(null),
  Stability: CapabilityStability.default("stable"),
  SinceVersion: SemVer.optional(),
  Requirements: z.array(z.string()).default([]),
  Operations: z.array(z.string()).default([]),
});
export type CapabilityEntry = z.infer<typeof CapabilityEntry>;

/**
 * The capability registry. The spec's form is a top-level array (`@( @{…}, … )` in .psd1); the versioned
 * form `{ schema_version, Capabilities: [...] }` is accepted too (SCHEMA-VER-001).
 */
export const CapabilityRegistry = z.array(CapabilityEntry);
export type CapabilityRegistry = z.infer<typeof CapabilityRegistry>;

/** `GitOperations` → `git_operations` (SPEC §6 matching rule). */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[\s-]+/g, "_")
    .toLowerCase();
}

/** Finds the registry entry a task's capability name refers to: by CapabilityId, Name or snake_case Name. */
export function resolveCapability(
  registry: readonly CapabilityEntry[],
  name: string,
): CapabilityEntry | undefined {
  const snake = toSnakeCase(name);
  return registry.find((e) => e.CapabilityId === name || e.Name === name || toSnakeCase(e.Name) === snake);
}
