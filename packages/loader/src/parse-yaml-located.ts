/**
 * YAML 1.2 (core schema: `no` is a string, not false) with positions, via `yaml`'s CST ranges and a
 * LineCounter. One document per file; aliases are limited (no "billion laughs").
 */
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { LineIndex } from "./internal/line-index.js";
import type {
  LocatedDocument,
  LocateTarget,
  PathSegment,
  SourcePosition,
  SyntaxProblem,
} from "./located-document.js";

const HINTS: Record<string, string> = {
  BAD_INDENT: "indent nested entries consistently with spaces (for example two per level)",
  TAB_AS_INDENT: "YAML does not allow tabs for indentation: use spaces",
  MISSING_CHAR: "a bracket or quote is not closed: add the missing character (the file may be truncated)",
  MULTIPLE_DOCS: "keep one document per file (remove the extra '---')",
  BLOCK_AS_IMPLICIT_KEY: "a key must fit on one line: check the indentation and the ':' of the line above",
  MULTILINE_IMPLICIT_KEY: "a key must fit on one line: check the indentation and the ':' of the line above",
  UNEXPECTED_TOKEN:
    "check the indentation and quoting near this position; quote values that contain ': ' or '#'",
  BAD_SCALAR_START: "quote the value: plain values cannot start with this character",
  DUPLICATE_KEY: "remove one of the two entries",
  TAG_RESOLVE_FAILED: "remove the tag: weft reads plain YAML values",
  ALIAS_PROPS: "remove the anchor or tag from the alias",
  BAD_ALIAS: "define the anchor (&name) before using the alias (*name)",
};

let yamlModule: typeof Yaml | undefined;

/**
 * The `yaml` package, loaded on first use (its Node entry is CommonJS, so `require` loads it synchronously): a
 * repository without YAML files — and every `weft run` start — never pays for its ~70 modules (DESIGN §6).
 */
function yaml(): typeof Yaml {
  // resolved from this package's directory (its own dependency), also when this module is part of a bundle
  yamlModule ??= createRequire(createRequire(import.meta.url).resolve("@weft/loader/package.json"))(
    "yaml",
  ) as typeof Yaml;
  return yamlModule;
}

function unwrapAlias(node: unknown, doc: Document.Parsed): unknown {
  return yaml().isAlias(node) ? node.resolve(doc) : node;
}

/** Parses YAML text, reporting problems with positions. Never throws for bad input. */
export function parseYamlLocated(text: string): LocatedDocument {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(src);
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const doc = parseDocument(src, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: true });
  const problems: SyntaxProblem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const duplicate = e.code === "DUPLICATE_KEY";
    let message = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    let hint = HINTS[e.code] ?? "check the YAML syntax near this position";
    if (duplicate) {
      const key = src.slice(e.pos[0], e.pos[1]).trim();
      message = `duplicate key ${JSON.stringify(key)} in this mapping`;
      hint = `remove one of the two ${JSON.stringify(key)} entries`;
    }
    const closer = /end with an? ([\]}])/.exec(message);
    if (closer)
      hint = `close it with '${closer[1]}' (the file may be truncated), or indent the continuation lines more`;
    problems.push({
      code: duplicate ? "LOADER_DUPLICATE_KEY" : "LOADER_INVALID_YAML",
      message,
      hint,
      position: lines.positionAt(e.pos[0]),
      fatal: !duplicate,
    });
  }
  let value: unknown;
  let ok = problems.every((p) => !p.fatal);
  if (ok) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      ok = false;
      problems.push({
        code: "LOADER_INVALID_YAML",
        message: `cannot read the YAML document: ${(e as Error).message}`,
        hint: "use fewer aliases (*name): weft limits alias expansion",
        position: lines.positionAt(0),
        fatal: true,
      });
    }
  }
  problems.sort((a, b) => a.position.offset - b.position.offset);
  return {
    format: "yaml",
    ok,
    value: ok ? value : undefined,
    problems,
    positionAt: (offset) => lines.positionAt(offset),
    locate(path: readonly PathSegment[], target: LocateTarget = "value"): SourcePosition {
      let node = unwrapAlias(doc.contents, doc) as YamlNode | null | undefined;
      if (!node) return lines.positionAt(0);
      let keyOffset: number | undefined;
      for (const segment of path) {
        let next: YamlNode | undefined;
        let nextKey: number | undefined;
        let found = false;
        if (isMap(node)) {
          for (const pair of node.items) {
            const key = pair.key;
            const k = isScalar(key) ? key.value : key;
            if (String(k) === String(segment)) {
              found = true;
              nextKey = isScalar(key) ? key.range?.[0] : undefined;
              next = (unwrapAlias(pair.value, doc) as YamlNode | null) ?? undefined;
              break;
            }
          }
        } else if (isSeq(node) && typeof segment === "number") {
          next = (unwrapAlias(node.items[segment], doc) as YamlNode | null) ?? undefined;
          found = next !== undefined;
        }
        if (!found) return lines.positionAt(node.range?.[0] ?? 0);
        if (!next) return lines.positionAt(nextKey ?? node.range?.[0] ?? 0); // `key:` with no value
        node = next;
        keyOffset = nextKey;
      }
      const at = target === "key" && keyOffset !== undefined ? keyOffset : (node.range?.[0] ?? 0);
      return lines.positionAt(at);
    },
  };
}
