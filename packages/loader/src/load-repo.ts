/**
 * Loads a user's weft repo (SPEC §1): `tasks/<ws>/<task>.json` and `tasks/<ws>/_workstream.json`,
 * `capabilities/registry.*`, `capabilities/resources.*` and `weft.config.json`. Every problem becomes a
 * {@link Diagnostic}; loading never stops at the first one. Reads files with bounded concurrency and parses each
 * once; nothing in the repo is executed.
 */
import { readFileSync } from "node:fs";
import * as nodeFs from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import {
  type CapabilityEntry,
  defaultConfig,
  type ResourceEntry,
  type TaskDefinition,
  type WeftConfig,
  type WorkstreamDefinition,
} from "@weft/core-schema";
import { idDiagnostic } from "./check-id.js";
import { type Diagnostic, sortDiagnostics } from "./diagnostic.js";
import type { LocatedDocument } from "./located-document.js";
import { parseConfigFile } from "./parse-config-file.js";
import { parserFor } from "./parse-document.js";
import { parseJsonLocated } from "./parse-json-located.js";
import { parseRegistryFile, type RegistryKind } from "./parse-registry-file.js";
import { type ParsedTaskFile, parseTaskFile } from "./parse-task-file.js";
import { defaultWorkstream, parseWorkstreamFile } from "./parse-workstream-file.js";

/** A directory entry, as `fs.promises.readdir(dir, { withFileTypes: true })` returns it. */
export interface LoaderDirent {
  readonly name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** The file-system calls the loader makes (node's `fs/promises` fits; tests and tools may pass their own). */
export interface LoaderFs {
  readFile(path: string, encoding: "utf8"): Promise<string>;
  readdir(path: string, options: { withFileTypes: true }): Promise<LoaderDirent[]>;
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean }>;
  realpath(path: string): Promise<string>;
}

export interface LoadRepoOptions {
  /** The repository root (the folder holding tasks/). */
  readonly cwd: string;
  /** Default: node's `fs/promises`. */
  readonly fs?: LoaderFs;
  /** Files read at once. Default 64. */
  readonly concurrency?: number;
  /**
   * Which source texts to keep in {@link LoadedRepo.files} (for code frames): every file, only files with
   * diagnostics (default), or none.
   */
  readonly keepSources?: "all" | "with-issues" | "none";
}

export type RepoFileKind = "task" | "workstream" | "capabilities" | "resources" | "config";

/** One file the loader read. */
export interface RepoFile {
  readonly kind: RepoFileKind;
  readonly format: LocatedDocument["format"];
  /** `false` when the file has at least one error diagnostic. */
  readonly valid: boolean;
  /** The id the file defines (task files: the file name; `_workstream.json`: the folder). */
  readonly id?: string;
  /** The text as read, when kept (see {@link LoadRepoOptions.keepSources}). */
  readonly source?: string;
}

/** Everything the loader read, validated, with defaults applied. */
export interface LoadedRepo {
  /** Absolute path of the repository root. */
  readonly root: string;
  /**
   * Every task that passed schema validation, migrated to 2.0.0, sorted by file path. Tasks whose file has
   * location errors (file name, folder) are included; a second definition of an id is not.
   */
  readonly tasks: TaskDefinition[];
  /** One per `tasks/<ws>/` folder with a valid id, sorted by id; defaults where `_workstream.json` is absent or invalid. */
  readonly workstreams: WorkstreamDefinition[];
  /** Valid capability registry entries ([] when there is no registry). */
  readonly capabilities: CapabilityEntry[];
  /** Valid resource registry entries ([] when there is no registry). */
  readonly resources: ResourceEntry[];
  /** `weft.config.json` with defaults (every default when the file is absent or invalid). */
  readonly config: WeftConfig;
  /** Every file read, by repo-relative `/` path. */
  readonly files: Record<string, RepoFile>;
}

export interface LoadRepoResult {
  readonly repo: LoadedRepo;
  /** Every problem found, sorted by file, line and column. Errors mean the repo must not be run. */
  readonly issues: Diagnostic[];
}

/** A task file found under tasks/ (see {@link listTaskFiles}). */
export interface TaskFileEntry {
  /** Repo-relative `/` path, e.g. `tasks/ws-001/task-001.json`. */
  readonly file: string;
  readonly absolutePath: string;
  readonly workstreamFolder: string;
}

interface Found {
  readonly taskFiles: TaskFileEntry[];
  readonly workstreamFolders: string[];
  readonly workstreamFiles: Map<string, string>; // folder → repo-relative path of _workstream.json
  readonly registries: { kind: RegistryKind; file: string }[];
  readonly config: string | undefined;
  readonly tasksDirFound: boolean;
}

/**
 * The default file system: node's, with synchronous reads. On local disks a task file is read fastest that way
 * (10,000 files measured on a 2-core machine: readFileSync 170 ms, callback readFile 550 ms, fs.promises.readFile
 * 1–1.8 s: every async read costs four thread-pool round trips). {@link mapLimit} yields to the event loop every
 * {@link YIELD_EVERY} files, so timers and signals are still served while a big repo loads.
 */
const defaultFs: LoaderFs = {
  readFile: async (path, encoding) => readFileSync(path, encoding),
  readdir: (path, options) => nodeFs.readdir(path, options),
  stat: (path) => nodeFs.stat(path),
  realpath: (path) => nodeFs.realpath(path),
};
const YIELD_EVERY = 256;

const REGISTRY_EXTENSIONS = [".json", ".yaml", ".yml", ".psd1"];
const DEFINITION_LIKE = /\.(ya?ml|psd1|jsonc|json5)$/i;

function posix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

function errorCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e
    ? String((e as { code: unknown }).code)
    : undefined;
}

/**
 * Runs `work` over `items` with at most `limit` in flight; results keep the input order. Yields to the event loop
 * every {@link YIELD_EVERY} items (work that completes synchronously would otherwise never let it run).
 */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** The requirement a file belongs to (README "by file"). */
function requirementOf(file: string): string {
  if (file.startsWith("capabilities/registry.")) return "CAP-REG-001";
  if (file.startsWith("capabilities/resources.")) return "CONC-REG-001";
  if (file === "weft.config.json") return "SCHEMA-VER-001";
  if (file.endsWith("/_workstream.json")) return "SM-DEF-002";
  return "TASK-DEF-001";
}

function at(
  file: string,
  code: Diagnostic["code"],
  message: string,
  hint: string,
  extra: Partial<Diagnostic> = {},
): Diagnostic {
  return {
    severity: "error",
    code,
    requirement: requirementOf(file),
    file,
    line: 1,
    column: 1,
    message,
    hint,
    ...extra,
  };
}

class Discovery {
  readonly issues: Diagnostic[] = [];
  #rootReal: Promise<string> | undefined;

  constructor(
    readonly root: string,
    readonly fs: LoaderFs,
  ) {}

  async #readdir(abs: string): Promise<LoaderDirent[] | undefined> {
    try {
      return await this.fs.readdir(abs, { withFileTypes: true });
    } catch (e) {
      const code = errorCode(e);
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      this.issues.push(
        at(
          posix(relative(this.root, abs)) || ".",
          "LOADER_READ_FAILED",
          `cannot read the folder: ${(e as Error).message}`,
          "check the folder's permissions",
        ),
      );
      return undefined;
    }
  }

  /** `file`/`dir` for an entry, following a symlink only when it stays inside the repository. */
  #kind(dir: string, e: LoaderDirent): "file" | "dir" | "other" | Promise<"file" | "dir" | "other"> {
    if (e.isFile()) return "file"; // no promise for the common case: 10,000 files, 10,000 fewer awaits
    if (e.isDirectory()) return "dir";
    if (!e.isSymbolicLink()) return "other";
    return this.#followLink(dir, e);
  }

  async #followLink(dir: string, e: LoaderDirent): Promise<"file" | "dir" | "other"> {
    const abs = join(dir, e.name);
    const rel = posix(relative(this.root, abs));
    try {
      this.#rootReal ??= this.fs.realpath(this.root);
      const [real, rootReal] = await Promise.all([this.fs.realpath(abs), this.#rootReal]);
      const inside = relative(rootReal, real);
      if (inside.startsWith("..") || isAbsolute(inside)) {
        this.issues.push(
          at(
            rel,
            "LOADER_PATH_ESCAPE",
            `symlink points outside the repository (to ${real}); it is not read`,
            "copy the file into the repository instead of linking to it",
          ),
        );
        return "other";
      }
      const st = await this.fs.stat(abs);
      return st.isFile() ? "file" : st.isDirectory() ? "dir" : "other";
    } catch (err) {
      this.issues.push(
        at(
          rel,
          "LOADER_READ_FAILED",
          `cannot follow the symlink: ${(err as Error).message}`,
          "fix or remove the broken link",
        ),
      );
      return "other";
    }
  }

  async run(): Promise<Found> {
    const tasksAbs = join(this.root, "tasks");
    const [tasksEntries, capEntries, rootEntries] = await Promise.all([
      this.#readdir(tasksAbs),
      this.#readdir(join(this.root, "capabilities")),
      this.#readdir(this.root),
    ]);
    const taskFiles: TaskFileEntry[] = [];
    const workstreamFolders: string[] = [];
    const workstreamFiles = new Map<string, string>();
    const folders: string[] = [];
    for (const e of tasksEntries ?? []) {
      if (e.name.startsWith(".")) continue; // tasks/.backups (weft migrate) and other hidden folders
      const kind = await this.#kind(tasksAbs, e);
      if (kind === "dir") folders.push(e.name);
      else if (kind === "file" && e.name.toLowerCase().endsWith(".json")) {
        const stem = e.name.slice(0, -5);
        this.issues.push(
          at(
            `tasks/${e.name}`,
            "LOADER_MISPLACED_FILE",
            "task file is directly in tasks/; it is not read",
            `move it into its workstream's folder: tasks/<workstream_id>/${e.name} (e.g. tasks/ws-001/${stem}.json)`,
          ),
        );
      }
    }
    folders.sort();
    const listings = await Promise.all(folders.map((f) => this.#readdir(join(tasksAbs, f))));
    for (let i = 0; i < folders.length; i++) {
      const folder = folders[i]!;
      const folderAbs = join(tasksAbs, folder);
      const bad = idDiagnostic(folder, {
        label: "workstream folder",
        file: `tasks/${folder}/`,
        line: 1,
        column: 1,
        requirement: "TASK-DEF-001",
      });
      if (bad) this.issues.push({ ...bad, hint: `rename the folder: ${bad.hint}` });
      else workstreamFolders.push(folder);
      const names: LoaderDirent[] = listings[i] ?? [];
      for (const e of names) {
        if (e.name.startsWith(".")) continue;
        const rel = `tasks/${folder}/${e.name}`;
        const k = this.#kind(folderAbs, e);
        const kind = typeof k === "string" ? k : await k;
        if (kind === "dir") {
          this.issues.push(
            at(
              `${rel}/`,
              "LOADER_IGNORED_FILE",
              "folders inside a workstream folder are not read",
              "task files go directly in tasks/<workstream_id>/; move them up, or into their own workstream folder",
              { severity: "warning" },
            ),
          );
        } else if (kind === "file") {
          if (e.name === "_workstream.json") workstreamFiles.set(folder, rel);
          else if (e.name.toLowerCase().endsWith(".json")) {
            taskFiles.push({ file: rel, absolutePath: folderAbs + sep + e.name, workstreamFolder: folder });
          } else if (DEFINITION_LIKE.test(e.name)) {
            this.issues.push(
              at(
                rel,
                "LOADER_IGNORED_FILE",
                "task definitions are read only from .json files; this file is ignored",
                `convert it to JSON as tasks/${folder}/${e.name.replace(/\.[^.]+$/, "")}.json`,
                { severity: "warning" },
              ),
            );
          }
        }
      }
    }
    taskFiles.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

    const registries: { kind: RegistryKind; file: string }[] = [];
    const capNames = new Map<string, LoaderDirent>();
    for (const e of capEntries ?? []) capNames.set(e.name, e);
    for (const [kind, stem] of [
      ["capabilities", "registry"],
      ["resources", "resources"],
    ] as const) {
      const present: string[] = [];
      for (const ext of REGISTRY_EXTENSIONS) {
        const e = capNames.get(stem + ext);
        if (e && (await this.#kind(join(this.root, "capabilities"), e)) === "file") present.push(stem + ext);
      }
      if (present.length === 0) continue;
      registries.push({ kind, file: `capabilities/${present[0]}` });
      for (const other of present.slice(1)) {
        this.issues.push(
          at(
            `capabilities/${other}`,
            "LOADER_AMBIGUOUS_FILE",
            `both capabilities/${present[0]} and capabilities/${other} exist; only capabilities/${present[0]} is read`,
            `keep one ${stem} file: delete capabilities/${other} or capabilities/${present[0]}`,
            {
              requirement: kind === "capabilities" ? "CAP-REG-001" : "CONC-REG-001",
            },
          ),
        );
      }
    }
    const configEntry = (rootEntries ?? []).find((e) => e.name === "weft.config.json");
    const config =
      configEntry && (await this.#kind(this.root, configEntry)) === "file" ? "weft.config.json" : undefined;
    if (tasksEntries === undefined) {
      this.issues.push(
        at(
          "tasks/",
          "LOADER_NOT_A_REPO",
          `no tasks/ folder in ${this.root}`,
          "run `weft init` here (or pass --cwd <repo>); tasks live in tasks/<workstream_id>/<task_id>.json",
        ),
      );
    }
    return {
      taskFiles,
      workstreamFolders,
      workstreamFiles,
      registries,
      config,
      tasksDirFound: tasksEntries !== undefined,
    };
  }
}

/**
 * Lists the task files of a repo, sorted: `tasks/<ws>/<name>.json` except `_workstream.json`, skipping hidden
 * folders such as `tasks/.backups/`. For `weft migrate`.
 */
export async function listTaskFiles(options: { cwd: string; fs?: LoaderFs }): Promise<TaskFileEntry[]> {
  const found = await new Discovery(options.cwd, options.fs ?? defaultFs).run();
  return found.taskFiles;
}

/** Reads and checks one task file (see {@link parseTaskFile}); a read failure becomes a LOADER_READ_FAILED issue. */
export async function loadTaskFile(options: {
  cwd: string;
  /** Repo-relative path, e.g. `tasks/ws-001/task-001.json`. */
  file: string;
  fs?: LoaderFs;
}): Promise<ParsedTaskFile & { readonly source: string | undefined }> {
  const fs = options.fs ?? defaultFs;
  const parts = options.file.split("/");
  const workstreamFolder = parts.length === 3 && parts[0] === "tasks" ? parts[1] : undefined;
  let source: string;
  try {
    source = await fs.readFile(join(options.cwd, ...parts), "utf8");
  } catch (e) {
    const doc = parserFor(".json")!("");
    return {
      file: options.file,
      document: doc,
      raw: undefined,
      declaredVersion: undefined,
      readAs: undefined,
      task: undefined,
      source: undefined,
      issues: [
        at(
          options.file,
          "LOADER_READ_FAILED",
          `cannot read the file: ${(e as Error).message}`,
          "check that the file exists and is readable",
        ),
      ],
    };
  }
  return {
    ...parseTaskFile(source, {
      file: options.file,
      ...(workstreamFolder !== undefined ? { workstreamFolder } : {}),
    }),
    source,
  };
}

/**
 * Loads a weft repo: every task (migrated to 2.0.0), workstream, registry entry and the configuration, with all
 * problems as diagnostics (never throws for bad repo content). Nothing in the repo is executed.
 */
export async function loadRepo(options: LoadRepoOptions): Promise<LoadRepoResult> {
  const fs = options.fs ?? defaultFs;
  const root = options.cwd;
  const limit = options.concurrency ?? 64;
  const keep = options.keepSources ?? "with-issues";
  const discovery = new Discovery(root, fs);
  const rootPrefix = join(root, ".") + sep; // normalized once; then plain concatenation per file
  const abs = (file: string): string => rootPrefix + (sep === "/" ? file : file.split("/").join(sep));
  const found = await discovery.run();
  const issues: Diagnostic[] = [...discovery.issues];
  const files: Record<string, RepoFile> = {};

  type Job = {
    file: string;
    run: (source: string) => {
      issues: Diagnostic[];
      format: RepoFile["format"];
      id?: string;
      kind: RepoFileKind;
    };
  };
  const jobs: Job[] = [];
  const sources = new Map<string, string>();

  // Per task only what the cross-file checks need (the document, raw value and source are not kept alive:
  // for 10,000 files that retention costs more in garbage collection than re-parsing the rare duplicate).
  const loadedTasks: { file: string; id: string | undefined; task: TaskDefinition | undefined }[] = [];
  for (const t of found.taskFiles) {
    jobs.push({
      file: t.file,
      run: (source) => {
        const parsed = parseTaskFile(source, { file: t.file, workstreamFolder: t.workstreamFolder });
        const raw = parsed.raw as Record<string, unknown> | undefined;
        const id =
          raw !== null && typeof raw === "object" && typeof raw.task_id === "string"
            ? raw.task_id
            : undefined;
        loadedTasks.push({ file: t.file, id, task: parsed.task });
        const name = t.file.slice(t.file.lastIndexOf("/") + 1, -".json".length);
        return { issues: parsed.issues, format: "json", id: name, kind: "task" };
      },
    });
  }
  const workstreamDefs = new Map<string, WorkstreamDefinition>();
  for (const [folder, file] of found.workstreamFiles) {
    jobs.push({
      file,
      run: (source) => {
        const parsed = parseWorkstreamFile(source, { file, workstreamFolder: folder });
        if (parsed.workstream) workstreamDefs.set(folder, parsed.workstream);
        return { issues: parsed.issues, format: "json", id: folder, kind: "workstream" };
      },
    });
  }
  let capabilities: CapabilityEntry[] = [];
  let resources: ResourceEntry[] = [];
  for (const r of found.registries) {
    jobs.push({
      file: r.file,
      run: (source) => {
        if (r.kind === "capabilities") {
          const parsed = parseRegistryFile(source, { file: r.file, kind: "capabilities" });
          capabilities = parsed.entries;
          return { issues: parsed.issues, format: parsed.document.format, kind: "capabilities" };
        }
        const parsed = parseRegistryFile(source, { file: r.file, kind: "resources" });
        resources = parsed.entries;
        return { issues: parsed.issues, format: parsed.document.format, kind: "resources" };
      },
    });
  }
  let config: WeftConfig | undefined;
  if (found.config) {
    const file = found.config;
    jobs.push({
      file,
      run: (source) => {
        const parsed = parseConfigFile(source, { file });
        config = parsed.config;
        return { issues: parsed.issues, format: "json", kind: "config" };
      },
    });
  }

  await mapLimit(jobs, limit, async (job) => {
    let source: string;
    try {
      source = await fs.readFile(abs(job.file), "utf8");
    } catch (e) {
      issues.push(
        at(
          job.file,
          "LOADER_READ_FAILED",
          `cannot read the file: ${(e as Error).message}`,
          "check that the file exists and is readable",
        ),
      );
      return;
    }
    const r = job.run(source);
    for (const d of r.issues) issues.push(d);
    if (keep === "all" || (keep === "with-issues" && r.issues.length > 0)) sources.set(job.file, source);
    files[job.file] = {
      kind: r.kind,
      format: r.format,
      valid: !r.issues.some((d) => d.severity === "error"),
      ...(r.id !== undefined ? { id: r.id } : {}),
    };
  });

  // Task ids are unique across the repo: logs and state are keyed by them (SPEC §1, §3).
  loadedTasks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const tasks: TaskDefinition[] = [];
  const byId = new Map<string, (typeof loadedTasks)[number]>();
  /** Where `task_id` is in a file: parsed again on demand (duplicates are rare). */
  const locateTaskId = async (file: string): Promise<{ line: number; column: number }> => {
    let source = sources.get(file);
    if (source === undefined) {
      try {
        source = await fs.readFile(abs(file), "utf8");
      } catch {
        return { line: 1, column: 1 };
      }
      if (keep !== "none") sources.set(file, source);
    }
    return parseJsonLocated(source).locate(["task_id"]);
  };
  for (const p of loadedTasks) {
    const id = p.id;
    if (id !== undefined) {
      const first = byId.get(id.toLowerCase());
      if (first) {
        const pos = await locateTaskId(p.file);
        const firstLine = (await locateTaskId(first.file)).line;
        const firstId = first.id!;
        const exact = firstId === id;
        issues.push({
          severity: exact ? "error" : "warning",
          code: exact ? "LOADER_DUPLICATE_ID" : "LOADER_ID_CASE_COLLISION",
          requirement: "TASK-DEF-001",
          file: p.file,
          line: pos.line,
          column: pos.column,
          message: exact
            ? `task_id "${id}" is already defined by ${first.file} (line ${firstLine})`
            : `task_id "${id}" differs only in letter case from "${firstId}" (${first.file}); they collide on case-insensitive file systems`,
          hint: exact
            ? "task ids are unique across all workstreams (logs and state are keyed by them): rename one of the tasks"
            : "rename one of the two tasks so the ids differ by more than case",
          path: ["task_id"],
        });
        if (exact) {
          const f = files[p.file];
          if (f) files[p.file] = { ...f, valid: false };
          continue;
        }
      } else byId.set(id.toLowerCase(), p);
    }
    if (p.task) tasks.push(p.task);
  }

  // Workstream folders whose names differ only in case collide as branch names (weft/<ws>) on such systems.
  const wsLower = new Map<string, string>();
  for (const folder of found.workstreamFolders) {
    const prior = wsLower.get(folder.toLowerCase());
    if (prior) {
      issues.push({
        ...at(
          `tasks/${folder}/`,
          "LOADER_ID_CASE_COLLISION",
          `workstream folder "${folder}" differs only in letter case from "${prior}"`,
          "merge the two folders or rename one (branch and state names would collide on case-insensitive systems)",
        ),
        severity: "warning",
      });
    } else wsLower.set(folder.toLowerCase(), folder);
  }
  const workstreams = found.workstreamFolders.map((f) => workstreamDefs.get(f) ?? defaultWorkstream(f));

  const sorted = sortDiagnostics(issues);
  const withIssues = keep === "with-issues" ? new Set(sorted.map((d) => d.file)) : undefined;
  for (const [file, source] of sources) {
    const f = files[file];
    if (f && (!withIssues || withIssues.has(file))) files[file] = { ...f, source };
  }
  const sortedFiles: Record<string, RepoFile> = {};
  for (const k of Object.keys(files).sort()) sortedFiles[k] = files[k]!;
  return {
    repo: {
      root,
      tasks,
      workstreams,
      capabilities,
      resources,
      config: config ?? defaultConfig(),
      files: sortedFiles,
    },
    issues: sorted,
  };
}
