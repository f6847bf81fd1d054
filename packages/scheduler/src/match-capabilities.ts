import { type CapabilityEntry, resolveCapability, toSnakeCase } from "@weft/core-schema";
import { compareSemver } from "@weft/dag";

// SPEC §6: `min_version` is compared as semver (a pre-release sorts before its release), the same function the
// plan-time capability check in @weft/dag uses, so plan and run agree.
export { compareSemver };

/** A capability a worker advertises (SPEC §6). */
export interface WorkerCapability {
  readonly name: string;
  readonly version: string;
}

/** Every name a capability is known by: CapabilityId, Name and snake_case Name (CAP-REG-002). */
export function capabilityAliases(registry: readonly CapabilityEntry[], name: string): ReadonlySet<string> {
  const entry = resolveCapability(registry, name);
  const names = new Set<string>([name, toSnakeCase(name)]);
  if (entry) {
    names.add(entry.CapabilityId);
    names.add(entry.Name);
    names.add(toSnakeCase(entry.Name));
  }
  return names;
}

/** Why a worker cannot take a task, or null when it can (SPEC §6: names + `min_version`). Pure. */
export function matchCapabilities(
  registry: readonly CapabilityEntry[],
  required: readonly string[],
  minVersion: string | undefined,
  offered: readonly WorkerCapability[],
): string | null {
  for (const name of required) {
    const aliases = capabilityAliases(registry, name);
    const have = offered.find((c) => aliases.has(c.name) || aliases.has(toSnakeCase(c.name)));
    if (!have) return `missing capability '${name}'`;
    if (minVersion !== undefined && compareSemver(have.version, minVersion) < 0) {
      return `capability '${name}' is version ${have.version}, task needs ≥ ${minVersion}`;
    }
  }
  return null;
}
