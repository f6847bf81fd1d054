import { z } from "zod";
import { ID_PATTERN } from "./id-pattern.js";

export { ID_PATTERN, isValidId } from "./id-pattern.js";

/** A task, workstream, worker, resource or capability id (SPEC §1). */
export const Id = z.string().regex(ID_PATTERN, {
  message: "must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ (letters, digits, '.', '_', '-')",
});
export type Id = z.infer<typeof Id>;

/** ISO-8601 UTC timestamp with milliseconds and `Z` (STATE-OBS-004). */
export const IsoTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, {
  message: "must be ISO-8601 UTC with milliseconds, e.g. 2026-01-31T12:00:00.000Z",
});
export type IsoTimestamp = z.infer<typeof IsoTimestamp>;

/** A semantic version `MAJOR.MINOR.PATCH` (SCHEMA-VER-001). */
export const SemVer = z
  .string()
  .regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, { message: "must be a semantic version such as 1.0.0" });
export type SemVer = z.infer<typeof SemVer>;
