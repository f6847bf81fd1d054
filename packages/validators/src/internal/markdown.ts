/** Just enough Markdown structure for the docs checks: headings (outside code fences) with their lines. */

export interface Heading {
  readonly level: number;
  readonly text: string;
  /** 1-based. */
  readonly line: number;
}

export interface MarkdownDoc {
  readonly lines: readonly string[];
  readonly headings: readonly Heading[];
}

export function parseMarkdown(text: string): MarkdownDoc {
  const lines = text.split(/\r?\n/);
  const headings: Heading[] = [];
  let fence: string | null = null;
  lines.forEach((raw, i) => {
    const fm = /^\s{0,3}(```+|~~~+)/.exec(raw);
    if (fm) {
      const marker = fm[1]!;
      if (fence === null) fence = marker[0]!;
      else if (marker[0] === fence) fence = null;
      return;
    }
    if (fence !== null) return;
    const hm = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(raw);
    if (hm) headings.push({ level: hm[1]!.length, text: hm[2]!, line: i + 1 });
  });
  return { lines, headings };
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[`*_]/g, "").replace(/\s+/g, " ").trim();
}

/** The first heading (level ≥ 2) whose text starts with `title` (case-insensitive, ignoring `code` marks). */
export function findSection(doc: MarkdownDoc, title: string): Heading | undefined {
  const want = norm(title);
  return doc.headings.find((h) => h.level >= 2 && norm(h.text).startsWith(want));
}

/** The lines of a section's body: after its heading, up to the next heading of the same or a higher level. */
export function sectionBody(
  doc: MarkdownDoc,
  heading: Heading,
): { readonly start: number; readonly lines: readonly string[] } {
  const next = doc.headings.find((h) => h.line > heading.line && h.level <= heading.level);
  const end = next ? next.line - 1 : doc.lines.length;
  return { start: heading.line + 1, lines: doc.lines.slice(heading.line, end) };
}

/** True when the body has any non-blank line. */
export function hasContent(lines: readonly string[]): boolean {
  return lines.some((l) => l.trim() !== "");
}
