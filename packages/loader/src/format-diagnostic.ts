/**
 * The text form of a diagnostic, shared by the loader, the validators and the CLI:
 *
 *     tasks/ws-001/task-001.json:12:24: error LOADER_SCHEMA execution.timeout_seconds must be a number, …
 *       hint: write the number without quotes: 600
 */
import type { Diagnostic } from "./diagnostic.js";

export interface FormatDiagnosticOptions {
  /** The file's text: adds the offending line with a caret under the column. */
  readonly source?: string;
  /** ANSI colors for a terminal. Default false. */
  readonly color?: boolean;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function codeFrame(source: string, line: number, column: number): string | undefined {
  const lines = source.split(/\r\n|\n|\r/);
  const text = lines[line - 1];
  if (text === undefined) return undefined;
  const width = String(line).length;
  const shown = text.replace(/\t/g, " ");
  const max = 160;
  // Keep long lines readable: show a window around the column.
  const start = shown.length > max && column > max / 2 ? column - 1 - Math.floor(max / 2) : 0;
  const slice =
    (start > 0 ? "…" : "") + shown.slice(start, start + max) + (shown.length > start + max ? "…" : "");
  const caret = " ".repeat(Math.max(0, column - 1 - start + (start > 0 ? 1 : 0))) + "^";
  return `  ${String(line).padStart(width)} | ${slice}\n  ${" ".repeat(width)} | ${caret}`;
}

/** `file:line:col: severity CODE message` + `  hint: …` (+ a code frame when `source` is given). */
export function formatDiagnostic(d: Diagnostic, options: FormatDiagnosticOptions = {}): string {
  const color = options.color ?? false;
  const severity = paint(color, d.severity === "error" ? "31;1" : "33;1", d.severity);
  let out = `${d.file}:${d.line}:${d.column}: ${severity} ${d.code} ${d.message}`;
  if (options.source !== undefined) {
    const frame = codeFrame(options.source, d.line, d.column);
    if (frame) out += `\n${frame}`;
  }
  return `${out}\n  ${paint(color, "2", "hint:")} ${d.hint}`;
}

/** Counts of a diagnostic list. */
export function summarizeDiagnostics(list: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const d of list) if (d.severity === "error") errors++;
  return { errors, warnings: list.length - errors };
}

/**
 * Every diagnostic (in the given order) followed by a summary line such as `2 errors, 1 warning`.
 * `sourceOf` supplies file texts for code frames (e.g. from `LoadedRepo.files[file].source`).
 */
export function formatDiagnostics(
  list: readonly Diagnostic[],
  options: { sourceOf?: (file: string) => string | undefined; color?: boolean } = {},
): string {
  const parts = list.map((d) => {
    const source = options.sourceOf?.(d.file);
    return formatDiagnostic(d, {
      ...(source !== undefined ? { source } : {}),
      ...(options.color !== undefined ? { color: options.color } : {}),
    });
  });
  const { errors, warnings } = summarizeDiagnostics(list);
  parts.push(`${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
  return parts.join("\n");
}
