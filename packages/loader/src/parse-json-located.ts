/**
 * Strict JSON (RFC 8259: no comments, no trailing commas) with positions.
 *
 * Fast path: `JSON.parse` reads the value; the position tree (jsonc-parser `parseTree`) is built only when a
 * caller asks where something is, so valid files cost one native parse. Invalid text is re-scanned with
 * jsonc-parser to report every comment and trailing comma, plus the first other error, each at its
 * `line:column`. Duplicate keys (which `JSON.parse` silently resolves to the last) are reported too.
 */
import {
  createScanner,
  type Node as JsonNode,
  type ParseErrorCode,
  parseTree,
  printParseErrorCode,
  type SyntaxKind,
  visit,
} from "jsonc-parser";
import { LineIndex } from "./internal/line-index.js";
import type {
  LocatedDocument,
  LocateTarget,
  PathSegment,
  SourcePosition,
  SyntaxProblem,
} from "./located-document.js";

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

function countKeys(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const v of value) n += countKeys(v);
    return n;
  }
  for (const k in value) {
    n += 1 + countKeys((value as Record<string, unknown>)[k]);
  }
  return n;
}

/**
 * How many property names `text` (valid JSON) spells out: string tokens followed by ':'. Compared with the keys
 * JSON.parse kept, it tells whether any key was repeated, without allocating.
 */
function countKeyTokens(text: string): number {
  let n = 0;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    if (text.charCodeAt(i) !== 34 /* " */) continue;
    for (i++; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) i++;
      else if (c === 34) break;
    }
    let j = i + 1;
    while (j < len) {
      const c = text.charCodeAt(j);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      j++;
    }
    if (text.charCodeAt(j) === 58 /* : */) n++;
  }
  return n;
}

interface RawProblem {
  offset: number;
  message: string;
  hint: string;
  fatal: boolean;
  code?: SyntaxProblem["code"];
}

function findDuplicateKeys(text: string, lines: LineIndex): RawProblem[] {
  const out: RawProblem[] = [];
  const stack: Map<string, number>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        stack.push(new Map());
      },
      onObjectEnd: () => {
        stack.pop();
      },
      onObjectProperty: (name, offset) => {
        const keys = stack[stack.length - 1];
        if (!keys) return;
        const first = keys.get(name);
        if (first === undefined) {
          keys.set(name, offset);
          return;
        }
        const at = lines.positionAt(first);
        out.push({
          offset,
          code: "LOADER_DUPLICATE_KEY",
          message: `duplicate key "${name}" (first at line ${at.line}, column ${at.column}); JSON keeps only the last value`,
          hint: `remove one of the two "${name}" entries`,
          fatal: false,
        });
      },
    },
    STRICT,
  );
  return out;
}

/** jsonc-parser's `SyntaxKind` values we use (a const enum, which `verbatimModuleSyntax` cannot import). */
const TOKEN = { comma: 5, lineComment: 12, blockComment: 13, eof: 17 } as const satisfies Record<
  string,
  SyntaxKind
>;

/** Offsets of the tokens that are commas (skipping comments and whitespace): comma offset → next token offset. */
function commasBeforeTokens(text: string): Map<number, number> {
  const out = new Map<number, number>();
  const scanner = createScanner(text, true);
  let comma = -1;
  for (let kind: number = scanner.scan(); kind !== TOKEN.eof; kind = scanner.scan()) {
    if (kind === TOKEN.lineComment || kind === TOKEN.blockComment) continue;
    const at = scanner.getTokenOffset();
    if (comma >= 0) out.set(at, comma);
    comma = kind === TOKEN.comma ? at : -1;
  }
  return out;
}

function tokenAt(text: string, offset: number, length: number): string {
  const raw = text.slice(offset, offset + Math.max(length, 1));
  return raw.length > 20 ? `${raw.slice(0, 20)}…` : raw;
}

/** jsonc-parser error → what is wrong and how to fix it. */
function describeError(
  text: string,
  code: ParseErrorCode,
  offset: number,
  length: number,
  open: readonly { kind: "{" | "["; offset: number }[],
  lines: LineIndex,
  justClosed?: { kind: "{" | "["; offset: number },
): RawProblem {
  const name = printParseErrorCode(code);
  const atEof = offset >= text.length || text.slice(offset).trim() === "";
  const found = atEof ? "the end of the file" : `'${tokenAt(text, offset, length)}'`;
  const p = (message: string, hint: string, at = offset): RawProblem => ({
    offset: at,
    message,
    hint,
    fatal: true,
  });
  const unclosed = () => {
    // jsonc-parser ends a container before it reports its missing closer: that container is the unclosed one.
    const want = name === "CloseBracketExpected" ? "[" : name === "CloseBraceExpected" ? "{" : undefined;
    const top = want && justClosed?.kind === want ? justClosed : open[open.length - 1];
    if (!top) return p("unexpected end of file", "the file looks truncated: complete the JSON value");
    const at = lines.positionAt(top.offset);
    const what = top.kind === "{" ? "object" : "array";
    return p(
      `unexpected end of file: the ${what} '${top.kind}' opened at line ${at.line}, column ${at.column} is never closed`,
      `the file looks truncated: complete it and close the ${what} with '${top.kind === "{" ? "}" : "]"}'`,
      text.length,
    );
  };
  switch (name) {
    case "InvalidCommentToken":
    case "UnexpectedEndOfComment":
      return p(
        "comments are not allowed in JSON",
        'remove the comment (put notes in a "description" field), or write the file as YAML',
      );
    case "CloseBraceExpected":
    case "CloseBracketExpected":
      if (atEof) return unclosed();
      return p(
        `expected ',' or '${name === "CloseBraceExpected" ? "}" : "]"}', found ${found}`,
        "separate values with commas and close every '{' with '}' and every '[' with ']'",
      );
    case "ValueExpected":
      if (atEof) return open.length ? unclosed() : p("the file is empty", "write one JSON object: { … }");
      return p(
        `expected a value, found ${found}`,
        "a value is a double-quoted string, a number, true, false, null, an object { … } or an array [ … ]",
      );
    case "PropertyNameExpected":
      return p(
        `expected a property name in double quotes, found ${found}`,
        'write properties as "name": value (double quotes; single quotes and bare names are not JSON)',
      );
    case "ColonExpected":
      return p(`expected ':' after the property name, found ${found}`, 'write the property as "name": value');
    case "CommaExpected":
      if (
        /\d/.test(text[offset] ?? "") &&
        text[offset - 1] === "0" &&
        !/[\d.]/.test(text[offset - 2] ?? "")
      ) {
        const digits = /^\d+/.exec(text.slice(offset))![0];
        return p(
          `invalid number '0${digits}': JSON numbers have no leading zeros`,
          `write ${Number(digits)}`,
          offset - 1,
        );
      }
      return p(`expected ',' before ${found}`, "add a comma between the two values (or properties)");
    case "EndOfFileExpected":
      return p(
        `unexpected ${found} after the end of the JSON value`,
        "a file holds exactly one JSON value: remove what follows, or merge it into the object",
      );
    case "InvalidSymbol": {
      const tok = tokenAt(text, offset, length);
      if (tok.startsWith("'")) {
        return p("single quotes are not allowed in JSON", "use double quotes for strings and property names");
      }
      if (/^\s*:/.test(text.slice(offset + length))) {
        return p(`property name ${tok} must be in double quotes`, `write it as "${tok.replace(/"/g, "")}"`);
      }
      const guess = ["true", "false", "null"].find((w) => w.startsWith(tok.toLowerCase().slice(0, 2)));
      return p(
        `'${tok}' is not a JSON value`,
        guess
          ? `did you mean ${guess}? Otherwise quote text as "${tok}"`
          : `quote text as "${tok}"; numbers are written like 10, -2 or 1.5`,
      );
    }
    case "InvalidNumberFormat":
    case "UnexpectedEndOfNumber":
      return p(
        `invalid number ${found}`,
        "write numbers like 10, -2, 1.5 or 1e3 (no leading zeros, no trailing dot, no NaN/Infinity)",
      );
    case "UnexpectedEndOfString":
      return p("string is never closed", 'add the closing double quote (")');
    case "InvalidUnicode":
      return p(
        "invalid \\u escape in a string",
        "write \\u followed by exactly four hex digits, e.g. \\u00e9",
      );
    case "InvalidEscapeCharacter": {
      const m = /\\[^"\\/bfnrtu]/.exec(text.slice(offset, offset + Math.max(length, 1)));
      return p(
        `invalid escape '${m ? m[0] : tokenAt(text, offset, length)}' in a string`,
        'valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX; write a backslash as \\\\ (or use / in paths)',
        m ? offset + m.index : offset,
      );
    }
    case "InvalidCharacter":
      return p(
        "control character (tab, new line …) inside a string",
        "escape it: a tab as \\t, a new line as \\n",
      );
    default:
      return p(`invalid JSON (${name})`, "check the JSON syntax near this position");
  }
}

function scanErrors(text: string, lines: LineIndex): RawProblem[] {
  const out: RawProblem[] = [];
  const open: { kind: "{" | "["; offset: number }[] = [];
  let other = false;
  let lastTrailingComma = -1;
  let justClosed: { kind: "{" | "["; offset: number } | undefined;
  let commas: Map<number, number> | undefined;
  visit(
    text,
    {
      onObjectBegin: (offset) => {
        open.push({ kind: "{", offset });
      },
      onArrayBegin: (offset) => {
        open.push({ kind: "[", offset });
      },
      onObjectEnd: () => {
        justClosed = open.pop();
      },
      onArrayEnd: () => {
        justClosed = open.pop();
      },
      onError: (code, offset, length) => {
        const name = printParseErrorCode(code);
        if (name === "InvalidCommentToken" || name === "UnexpectedEndOfComment") {
          out.push(describeError(text, code, offset, length, open, lines));
          return;
        }
        const c = text[offset];
        if ((name === "PropertyNameExpected" || name === "ValueExpected") && (c === "}" || c === "]")) {
          commas ??= commasBeforeTokens(text);
          const comma = commas.get(offset);
          if (comma !== undefined) {
            if (comma !== lastTrailingComma) {
              lastTrailingComma = comma;
              out.push({
                offset: comma,
                message: `trailing comma before '${c}'`,
                hint: "remove the comma after the last element (JSON does not allow trailing commas)",
                fatal: true,
              });
            }
            return;
          }
        }
        if (other) return; // later errors are usually consequences of the first one
        other = true;
        out.push(describeError(text, code, offset, length, open, lines, justClosed));
      },
    },
    STRICT,
  );
  return out;
}

/** Parses strict JSON text, reporting problems with positions. Never throws for bad input. */
export function parseJsonLocated(text: string): LocatedDocument {
  // A UTF-8 byte order mark (common from Windows editors) is not part of the JSON text.
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(src);
  let value: unknown;
  let raw: RawProblem[] = [];
  let ok = true;
  try {
    value = JSON.parse(src);
    if (countKeyTokens(src) !== countKeys(value)) raw = findDuplicateKeys(src, lines);
  } catch (e) {
    ok = false;
    value = undefined;
    raw = scanErrors(src, lines);
    if (raw.length === 0) {
      // JSON.parse and jsonc-parser disagree (rare): use the position in the engine's message.
      const m = /position (\d+)/.exec(String((e as Error).message));
      raw = [
        {
          offset: m ? Number(m[1]) : 0,
          message: `invalid JSON: ${(e as Error).message}`,
          hint: "check the JSON syntax near this position",
          fatal: true,
        },
      ];
    }
  }
  raw.sort((a, b) => a.offset - b.offset);
  const problems: SyntaxProblem[] = raw.map((r) => ({
    code: r.code ?? "LOADER_INVALID_JSON",
    message: r.message,
    hint: r.hint,
    position: lines.positionAt(r.offset),
    fatal: r.fatal,
  }));
  let tree: JsonNode | undefined | null = null;
  return {
    format: "json",
    ok,
    value,
    problems,
    positionAt: (offset) => lines.positionAt(offset),
    locate(path: readonly PathSegment[], target: LocateTarget = "value"): SourcePosition {
      if (tree === null) tree = parseTree(src, [], STRICT);
      let node = tree;
      if (!node) return lines.positionAt(0);
      let keyNode: JsonNode | undefined;
      for (const segment of path) {
        let next: JsonNode | undefined;
        let nextKey: JsonNode | undefined;
        if (node.type === "object" && node.children) {
          // The last property of that name wins, as in JSON.parse.
          for (let i = node.children.length - 1; i >= 0; i--) {
            const prop = node.children[i]!;
            if (prop.children?.[0]?.value === String(segment)) {
              nextKey = prop.children[0];
              next = prop.children[1];
              break;
            }
          }
        } else if (node.type === "array" && typeof segment === "number") {
          next = node.children?.[segment];
        }
        if (!next) return lines.positionAt(node.offset);
        node = next;
        keyNode = nextKey;
      }
      return lines.positionAt(target === "key" && keyNode ? keyNode.offset : node.offset);
    },
  };
}
