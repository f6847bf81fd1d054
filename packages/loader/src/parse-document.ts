import type { LocatedDocument } from "./located-document.js";
import { parseJsonLocated } from "./parse-json-located.js";
import { parsePsd1 } from "./parse-psd1.js";
import { parseYamlLocated } from "./parse-yaml-located.js";

/** The located parser for a file name's extension: `.json`, `.yaml`/`.yml` or `.psd1`; `undefined` otherwise. */
export function parserFor(fileName: string): ((text: string) => LocatedDocument) | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".json")) return parseJsonLocated;
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return parseYamlLocated;
  if (lower.endsWith(".psd1")) return parsePsd1;
  return undefined;
}

/** Parses `text` with the parser its file name calls for (JSON when the extension is unknown). */
export function parseDocument(text: string, fileName: string): LocatedDocument {
  return (parserFor(fileName) ?? parseJsonLocated)(text);
}
