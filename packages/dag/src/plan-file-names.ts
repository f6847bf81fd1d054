import { isValidId, WeftError } from "@weft/core-schema";

/**
 * The file names (inside `.state/`) of a workstream's DAG and execution plan (SPEC §1, DAG-VIEW-001/002). The id
 * is checked first: ids become file names, so anything outside the id alphabet is an error, never a path.
 */
export function planFileNames(workstreamId: string): { readonly dag: string; readonly plan: string } {
  if (!isValidId(workstreamId)) {
    throw new WeftError("ID_INVALID", `invalid workstream id ${JSON.stringify(workstreamId)}`, {
      hint: "ids must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ (SPEC §1)",
      details: { id: workstreamId },
    });
  }
  return { dag: `dag_${workstreamId}.json`, plan: `execution_plan_${workstreamId}.json` };
}
