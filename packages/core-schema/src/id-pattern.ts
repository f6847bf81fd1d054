/** SPEC §1: ids become file names, so only this alphabet is accepted. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** True when `value` is a valid id (SPEC §1). Never throws. */
export function isValidId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value) && value !== "." && value !== "..";
}
