import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { CapabilityEntry, ResourceEntry, TaskDefinition } from "@weft/core-schema";
import { resolveGateRule } from "@weft/core-schema";
import { checkDagDocuments, computePlans, type DagIssue, type FoundDocument } from "@weft/dag";
import { type Diagnostic, type LoadedRepo, loadRepo, parseDocument } from "@weft/loader";
import { type JsonText, parseJsonText } from "../internal/locate-json.js";
import type { RepoFiles } from "../internal/repo-files.js";
import type { CheckOutcome, Skipped, Violation } from "../validation-report.js";

/** A loader diagnostic as a violation (same fields: the loader already says where, what and how to fix). */
export function violationFromDiagnostic(d: Diagnostic): Violation {
  return {
    requirement: d.requirement,
    level: d.severity,
    file: d.file,
    line: d.line,
    column: d.column,
    message: d.message,
    fix: d.hint,
  };
}

type Pointer = readonly (string | number)[];

/** Locates values in repo files (parsed lazily, once per file). */
function createLocator(
  files: RepoFiles,
): (file: string, pointer: Pointer, target?: "key" | "value") => { line: number; column: number } {
  const cache = new Map<string, ReturnType<typeof parseDocument> | null>();
  return (file, pointer, target = "value") => {
    let doc = cache.get(file);
    if (doc === undefined) {
      const text = files.readText(files.abs(file));
      doc = text === undefined ? null : parseDocument(text, file);
      cache.set(file, doc);
    }
    if (!doc) return { line: 1, column: 1 };
    const p = doc.locate(pointer, target);
    return { line: p.line, column: p.column };
  };
}

function indexIn(list: readonly string[] | undefined, id: string | undefined): number | undefined {
  if (!list || id === undefined) return undefined;
  const i = list.indexOf(id);
  return i === -1 ? undefined : i;
}

/** Where in its task file a planning issue belongs (TASK-DEF-002, CAP-REG-002, CONC-REG-002). */
function pointerFor(
  issue: DagIssue,
  task: TaskDefinition | undefined,
): { pointer: Pointer; target: "key" | "value" } {
  const m = issue.message;
  switch (issue.kind) {
    case "unknown_dependency":
    case "cross_workstream_dependency": {
      const r = /\((dependencies|blocks)\) names (\S+?),/.exec(m);
      const field = (r?.[1] ?? "dependencies") as "dependencies" | "blocks";
      const i = indexIn(task?.[field], r?.[2]);
      return { pointer: i === undefined ? [field] : [field, i], target: "value" };
    }
    case "one_sided_declaration": {
      const r = /depends on (\S+), but/.exec(m);
      const i = indexIn(task?.dependencies, r?.[1]);
      return {
        pointer: i === undefined ? ["dependencies"] : ["dependencies", i],
        target: i === undefined ? "key" : "value",
      };
    }
    case "unknown_capability":
    case "deprecated_capability":
    case "no_capable_worker": {
      const r = /capability (\S+)/.exec(m);
      const i = indexIn(task?.worker_requirements.capabilities, r?.[1]);
      return {
        pointer:
          i === undefined
            ? ["worker_requirements", "capabilities"]
            : ["worker_requirements", "capabilities", i],
        target: "value",
      };
    }
    case "capability_version_too_low":
      return { pointer: ["worker_requirements", "min_version"], target: "value" };
    case "unknown_resource":
    case "resource_request_too_large":
    case "resource_mode_ignored": {
      const keys = Object.keys(task?.resource_requirements ?? {});
      const id = keys.find((k) => new RegExp(`(resource|of|for) ${k.replace(/[.]/g, "\\.")}\\b`).test(m));
      return {
        pointer: id === undefined ? ["resource_requirements"] : ["resource_requirements", id],
        target: "key",
      };
    }
    default:
      return { pointer: [], target: "value" };
  }
}

const REQUIREMENT_OF_KIND: Partial<Record<DagIssue["kind"], string>> = {
  unknown_dependency: "TASK-DEF-002",
  cross_workstream_dependency: "TASK-DEF-002",
  one_sided_declaration: "TASK-DEF-002",
  unknown_capability: "CAP-REG-002",
  deprecated_capability: "CAP-REG-002",
  capability_version_too_low: "CAP-REG-002",
  no_capable_worker: "CAP-REG-002",
  unknown_resource: "CONC-REG-002",
  resource_request_too_large: "CONC-REG-002",
  resource_mode_ignored: "CONC-REG-002",
};

/**
 * Task definitions, registries and the DAG, through the packages that own them: @weft/loader's `loadRepo`
 * (TASK-DEF-001, SCHEMA-VER-001/002, CAP-REG-001, CONC-REG-001/002 per file), @weft/dag's `computePlans`
 * (dependencies → TASK-DEF-002, capabilities → CAP-REG-002, resources → CONC-REG-002) and `checkDagDocuments`
 * (DAG-VIEW-001..003 on `.state/dag_*.json` / `execution_plan_*.json`). Added here: gate rule names resolve
 * (TASK-DEF-002), registry cross-references (DeprecatedBy, ConflictsWith).
 */
export async function checkRepoDefinitions(
  files: RepoFiles,
  what: { readonly tasks: boolean; readonly dag: boolean },
): Promise<CheckOutcome> {
  const violations: Violation[] = [];
  const skipped: Skipped[] = [];
  if (!files.isDir(files.abs("tasks"))) {
    const reason = "no tasks/ folder: not a weft repository (weft init creates one)";
    const reqs = [
      ...(what.tasks
        ? ["TASK-DEF-001", "TASK-DEF-002", "CAP-REG-001", "CAP-REG-002", "CONC-REG-001", "CONC-REG-002"]
        : []),
      ...(what.dag ? ["DAG-VIEW-001", "DAG-VIEW-002", "DAG-VIEW-003"] : []),
    ];
    return { violations, skipped: reqs.map((requirement) => ({ requirement, reason })) };
  }
  const { repo, issues } = await loadRepo({ cwd: files.cwd, keepSources: "none" });
  const locate = createLocator(files);
  const taskFile = new Map<string, string>();
  for (const [file, f] of Object.entries(repo.files)) {
    if (f.kind !== "task" || !f.id) continue;
    const ws = file.split("/")[1] ?? "";
    taskFile.set(`${ws}\u0000${f.id}`, file);
  }
  const taskById = new Map(repo.tasks.map((t) => [`${t.workstream_id}\u0000${t.task_id}`, t] as const));
  const fileOfTask = (ws: string, id: string): string =>
    taskFile.get(`${ws}\u0000${id}`) ?? `tasks/${ws}/${id}.json`;

  if (what.tasks) {
    for (const d of issues) violations.push(violationFromDiagnostic(d));
    const plan = computePlans(repo.tasks, {
      workers: 1,
      generatedAt: "1970-01-01T00:00:00.000Z",
      documents: false,
      resources: repo.resources,
      capabilities: repo.capabilities,
      offers: [
        ...repo.capabilities.map((c) => ({ name: c.CapabilityId, version: c.Version })),
        ...repo.config.workers.capabilities.map((c) => ({ name: c.name, version: c.version })),
      ],
      workstreams: repo.workstreams,
    });
    for (const issue of plan.issues) {
      const requirement = REQUIREMENT_OF_KIND[issue.kind];
      if (!requirement || !issue.task_id) continue;
      const ws = issue.workstream_id ?? "";
      const file = fileOfTask(ws, issue.task_id);
      const { pointer, target } = pointerFor(issue, taskById.get(`${ws}\u0000${issue.task_id}`));
      const pos = locate(file, pointer, target);
      // SPEC §6: a capability no declared worker offers may still be detected on a local worker at run time.
      const level = issue.kind === "no_capable_worker" || issue.severity === "warning" ? "warning" : "error";
      violations.push({
        requirement,
        level,
        file,
        line: pos.line,
        column: pos.column,
        message: issue.message,
        fix: issue.hint ?? "fix the task definition",
      });
    }
    violations.push(...checkGateRules(repo, fileOfTask, locate));
    violations.push(...checkRegistryReferences(repo, locate));
  }

  if (what.dag) {
    const stateDir = files.abs(".state");
    const documents = new Map<string, { dag?: FoundDocument; plan?: FoundDocument }>();
    const texts = new Map<string, JsonText>();
    const hasState = files.isDir(stateDir);
    if (hasState) {
      for (const name of readdirSync(stateDir)) {
        const m = /^(dag|execution_plan)_(.+)\.json$/.exec(name);
        if (!m) continue;
        const rel = `.state/${name}`;
        const doc = parseJsonText(files.readText(join(stateDir, name)) ?? "");
        texts.set(rel, doc);
        if (doc.syntaxError) {
          violations.push({
            requirement: m[1] === "dag" ? "DAG-VIEW-001" : "DAG-VIEW-002",
            level: "error",
            file: rel,
            line: doc.syntaxError.position.line,
            column: doc.syntaxError.position.column,
            message: `not valid JSON: ${doc.syntaxError.message}`,
            fix: "run `weft plan` to regenerate it",
          });
          continue;
        }
        const entry = documents.get(m[2]!) ?? {};
        if (m[1] === "dag") entry.dag = { path: rel, value: doc.value };
        else entry.plan = { path: rel, value: doc.value };
        documents.set(m[2]!, entry);
      }
    }
    const pathOf = (ws: string, kind: "dag" | "plan"): string =>
      kind === "dag" ? `.state/dag_${ws}.json` : `.state/execution_plan_${ws}.json`;
    const result = checkDagDocuments({
      tasks: repo.tasks,
      workstreams: repo.workstreams,
      documents,
      pathOf,
      locate: (path, pointer) => {
        const t = texts.get(path);
        if (t) return t.locate(pointer);
        if (path.startsWith("tasks/")) return locate(path, pointer);
        return undefined;
      },
    });
    for (const i of result.issues) {
      // Before the first `weft plan` there is no .state: missing documents are not a violation yet.
      if (
        !hasState &&
        i.pointer.length === 0 &&
        (i.file.startsWith(".state/dag_") || i.file.startsWith(".state/execution_plan_"))
      )
        continue;
      violations.push({
        requirement: i.requirement,
        level: i.severity,
        file: i.file,
        line: i.line,
        column: i.column,
        message: i.message,
        fix: i.hint,
      });
    }
    if (!hasState) {
      for (const requirement of ["DAG-VIEW-001", "DAG-VIEW-002"]) {
        skipped.push({
          requirement,
          reason: "no .state/ yet: run `weft plan` to write the DAG and execution plan",
        });
      }
    }
  }
  return { violations, skipped, checked: what.tasks ? { "task definitions": repo.tasks.length } : {} };
}

/** TASK-DEF-002 / DESIGN §4: every validation rule and final_validation gate names a rule that resolves. */
function checkGateRules(
  repo: LoadedRepo,
  fileOfTask: (ws: string, id: string) => string,
  locate: (file: string, pointer: Pointer) => { line: number; column: number },
): Violation[] {
  const out: Violation[] = [];
  const check = (name: string, file: string, pointer: Pointer, owner: string): void => {
    const r = resolveGateRule(name, repo.config);
    if (r.kind !== "unknown") return;
    const pos = locate(file, pointer);
    out.push({
      requirement: "TASK-DEF-002",
      level: "error",
      file,
      line: pos.line,
      column: pos.column,
      message: `${owner}: gate rule '${name}' does not resolve: ${r.reason}`,
      fix: `add "gates": { "${name}": "<command>" } to weft.config.json, or use a known rule`,
    });
  };
  for (const t of repo.tasks) {
    const file = fileOfTask(t.workstream_id, t.task_id);
    for (const phase of ["pre_execution", "post_execution"] as const) {
      t.validation_rules[phase].forEach((name, i) => {
        check(name, file, ["validation_rules", phase, i], `task ${t.task_id}`);
      });
    }
  }
  for (const ws of repo.workstreams) {
    ws.final_validation.forEach((name, i) => {
      check(
        name,
        `tasks/${ws.workstream_id}/_workstream.json`,
        ["final_validation", i],
        `workstream ${ws.workstream_id}`,
      );
    });
  }
  return out;
}

/** CAP-REG-001 (DeprecatedBy names a registered capability; deprecated entries say by what) and CONC-REG-001 (ConflictsWith names registered resources). */
function checkRegistryReferences(
  repo: LoadedRepo,
  locate: (file: string, pointer: Pointer) => { line: number; column: number },
): Violation[] {
  const out: Violation[] = [];
  const fileOf = (kind: "capabilities" | "resources"): string | undefined =>
    Object.entries(repo.files).find(([, f]) => f.kind === kind)?.[0];
  const entryPointer = (file: string, i: number): Pointer => {
    const l = locate(file, [i]);
    const lv = locate(file, ["Capabilities", i]);
    const lr = locate(file, ["Resources", i]);
    // The spec's form is a top-level array; the versioned form wraps it (SCHEMA-VER-001).
    if (l.line !== 1 || l.column !== 1) return [i];
    if (lv.line !== 1 || lv.column !== 1) return ["Capabilities", i];
    if (lr.line !== 1 || lr.column !== 1) return ["Resources", i];
    return [i];
  };
  const capFile = fileOf("capabilities");
  if (capFile) {
    const known = new Set(repo.capabilities.flatMap((c: CapabilityEntry) => [c.CapabilityId, c.Name]));
    repo.capabilities.forEach((c, i) => {
      const base = entryPointer(capFile, i);
      if (c.DeprecatedBy && !known.has(c.DeprecatedBy)) {
        const pos = locate(capFile, [...base, "DeprecatedBy"]);
        out.push({
          requirement: "CAP-REG-001",
          level: "error",
          file: capFile,
          line: pos.line,
          column: pos.column,
          message: `${c.CapabilityId}: DeprecatedBy '${c.DeprecatedBy}' is not a capability of the registry`,
          fix: "name the CapabilityId of the replacement, or add the replacement to the registry",
        });
      }
      if (c.Stability === "deprecated" && !c.DeprecatedBy) {
        const pos = locate(capFile, [...base, "Stability"]);
        out.push({
          requirement: "CAP-REG-001",
          level: "warning",
          file: capFile,
          line: pos.line,
          column: pos.column,
          message: `${c.CapabilityId} is deprecated but names no DeprecatedBy replacement`,
          fix: "set DeprecatedBy to the capability that replaces it",
        });
      }
      if (c.DeprecatedBy && c.Stability !== "deprecated") {
        const pos = locate(capFile, [...base, "Stability"]);
        out.push({
          requirement: "CAP-REG-001",
          level: "warning",
          file: capFile,
          line: pos.line,
          column: pos.column,
          message: `${c.CapabilityId} names DeprecatedBy '${c.DeprecatedBy}' but its Stability is '${c.Stability}'`,
          fix: 'set Stability to "deprecated", or remove DeprecatedBy',
        });
      }
    });
  }
  const resFile = fileOf("resources");
  if (resFile) {
    const known = new Set(repo.resources.map((r: ResourceEntry) => r.ResourceId));
    repo.resources.forEach((r, i) => {
      const base = entryPointer(resFile, i);
      r.Metadata.ConflictsWith.forEach((other, k) => {
        if (known.has(other)) return;
        const pos = locate(resFile, [...base, "Metadata", "ConflictsWith", k]);
        out.push({
          requirement: "CONC-REG-001",
          level: "error",
          file: resFile,
          line: pos.line,
          column: pos.column,
          message: `${r.ResourceId}: ConflictsWith names '${other}', which the registry does not define`,
          fix: `define ${other} or remove it from ConflictsWith`,
        });
      });
      if (r.Type !== "rate_limited" && r.RefillRate) {
        const pos = locate(resFile, [...base, "RefillRate"]);
        out.push({
          requirement: "CONC-REG-001",
          level: "warning",
          file: resFile,
          line: pos.line,
          column: pos.column,
          message: `${r.ResourceId}: RefillRate is ignored on a ${r.Type} resource`,
          fix: "remove RefillRate, or make the resource rate_limited",
        });
      }
    });
  }
  return out;
}
