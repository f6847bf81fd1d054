/**
 * Facts read from Aider's printed output (AIDER.md "What it prints"). Pure. Changed files never come from here:
 * they come from git (aider-result.ts); this is for announcements, prompts, usage and errors.
 */

/** One confirmation Aider asked (answered "n" by weft). */
export interface AiderPrompt {
  readonly question: string;
  /** The path printed on the line before the question, if any. */
  readonly subject: string | null;
}

/** One `Tokens: … Cost: …` line. */
export interface TokenLine {
  readonly sent: number;
  readonly received: number;
  readonly cacheWrite: number;
  readonly cacheHit: number;
  readonly messageCost: number | null;
  readonly sessionCost: number | null;
}

/** What the output says. */
export interface ParsedAiderOutput {
  readonly version: string | null;
  readonly model: string | null;
  readonly gitRepoNone: boolean;
  readonly announcedEditable: readonly string[];
  readonly announcedReadOnly: readonly string[];
  readonly appliedEdits: readonly string[];
  readonly commits: readonly { readonly hash: string; readonly message: string }[];
  readonly prompts: readonly AiderPrompt[];
  /** Paths of `Skipping edits to <path>` (declined or refused edits). */
  readonly skippedEdits: readonly string[];
  readonly tokenLines: readonly TokenLine[];
}

/** The confirmations that mean Aider wanted more than it was given (AIDER.md classification). */
export const FILE_PROMPTS: readonly string[] = [
  "Add file to the chat?",
  "Allow edits to file that has not been added to the chat?",
  "Create new file?",
];
const ANY_PROMPT =
  /^(.*?)([A-Z][^?\n]{2,200}\?) \(Y\)es\/\(N\)o(?:\/\(A\)ll\/\(S\)kip all)?(?:\/\(D\)on't ask again)? \[(?:Yes|No)\]: ?/;

/** `2.3k` → 2300, `145` → 145, `12k` → 12000 (aider's format_tokens). */
export function parseTokenCount(text: string): number {
  const m = /^([\d.,]+)\s*([kKmM])?$/.exec(text.trim());
  if (!m) return 0;
  const n = Number(m[1]!.replace(/,/g, ""));
  const unit = m[2]?.toLowerCase();
  return Math.round(unit === "k" ? n * 1000 : unit === "m" ? n * 1_000_000 : n);
}

const TOKENS_LINE =
  /^Tokens: ([\d.,]+[kKmM]?) sent(?:, ([\d.,]+[kKmM]?) cache write)?(?:, ([\d.,]+[kKmM]?) cache hit)?, ([\d.,]+[kKmM]?) received\.(?: Cost: \$([\d.]+) message, \$([\d.]+) session\.)?/;

/** Reads Aider's output (stdout and stderr interleaved). Lines are split on `\n` and `\r`. */
export function parseAiderOutput(output: string): ParsedAiderOutput {
  let version: string | null = null;
  let model: string | null = null;
  let gitRepoNone = false;
  const announcedEditable: string[] = [];
  const announcedReadOnly: string[] = [];
  const appliedEdits: string[] = [];
  const commits: { hash: string; message: string }[] = [];
  const prompts: AiderPrompt[] = [];
  const skippedEdits: string[] = [];
  const tokenLines: TokenLine[] = [];

  /** One line, first matching rule wins. */
  const lineRules: [RegExp, (m: RegExpExecArray) => void][] = [
    [/^Aider v(\d+\.\d+\.\d+\S*)/, (m) => (version ??= m[1]!)],
    // "Main model:" when a weak model differs, "Model:" when it is the same (0.86)
    [/^(?:Main model|Model): (\S+)/, (m) => (model ??= m[1]!)],
    [/^Git repo: none\b/, () => (gitRepoNone = true)],
    [/^Added (.+) to the chat \(read-only\)\.$/, (m) => announcedReadOnly.push(m[1]!)],
    [/^Added (.+) to the chat\.$/, (m) => announcedEditable.push(m[1]!)],
    [/^Applied edit to (.+)$/, (m) => appliedEdits.push(m[1]!.trim())],
    [/^Commit ([0-9a-f]{7,40}) (.*)$/, (m) => commits.push({ hash: m[1]!, message: m[2]! })],
    [
      TOKENS_LINE,
      (m) =>
        tokenLines.push({
          sent: parseTokenCount(m[1]!),
          cacheWrite: m[2] ? parseTokenCount(m[2]) : 0,
          cacheHit: m[3] ? parseTokenCount(m[3]) : 0,
          received: parseTokenCount(m[4]!),
          messageCost: m[5] !== undefined ? Number(m[5]) : null,
          sessionCost: m[6] !== undefined ? Number(m[6]) : null,
        }),
    ],
  ];

  const lines = output.split(/\r?\n|\r/);
  let previous = "";
  for (const raw of lines) {
    // A prompt is printed without a newline: whatever Aider prints next continues its line.
    let line = raw;
    for (let m = ANY_PROMPT.exec(line); m !== null; m = ANY_PROMPT.exec(line)) {
      const before = m[1]!.trim();
      prompts.push({ question: m[2]!, subject: before !== "" ? before : previous.trim() || null });
      line = line.slice(m[0].length);
    }
    for (const [pattern, take] of lineRules) {
      const m = pattern.exec(line);
      if (m) {
        take(m);
        break;
      }
    }
    const skip = /Skipping edits to (.+?)(?: that matches (?:gitignore|aiderignore) spec\.)?\s*$/.exec(line);
    if (skip) skippedEdits.push(skip[1]!);
    if (raw.trim() !== "") previous = line.trim() !== "" ? line : raw;
  }
  return {
    version,
    model,
    gitRepoNone,
    announcedEditable,
    announcedReadOnly,
    appliedEdits,
    commits,
    prompts,
    skippedEdits,
    tokenLines,
  };
}
