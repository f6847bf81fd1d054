/**
 * Reads the structure of a zod schema (object fields, arrays, records) so the loader can warn about unknown
 * fields and give PowerShell's case-insensitive keys their canonical spelling. Built once per schema.
 */
import type { PathSegment } from "../located-document.js";
import { closest } from "./suggest.js";

export type SchemaNode =
  | { readonly kind: "object"; readonly fields: ReadonlyMap<string, SchemaNode>; readonly loose: boolean }
  | { readonly kind: "array"; readonly element: SchemaNode }
  | { readonly kind: "record"; readonly value: SchemaNode }
  | { readonly kind: "other" };

interface DefLike {
  readonly type?: string;
  readonly innerType?: unknown;
  readonly in?: unknown;
  readonly shape?: Record<string, unknown>;
  readonly catchall?: { readonly def?: DefLike } | undefined;
  readonly element?: unknown;
  readonly valueType?: unknown;
}

const OTHER: SchemaNode = { kind: "other" };
const cache = new WeakMap<object, SchemaNode>();
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);

function defOf(schema: unknown): DefLike | undefined {
  if (schema === null || typeof schema !== "object") return undefined;
  return (schema as { def?: DefLike }).def;
}

/** The structure of a zod 4 schema (wrappers such as optional/default are looked through). */
export function schemaNodeOf(schema: unknown): SchemaNode {
  if (schema === null || typeof schema !== "object") return OTHER;
  const cached = cache.get(schema);
  if (cached) return cached;
  let def = defOf(schema);
  for (let i = 0; def && i < 20; i++) {
    if (def.type && WRAPPERS.has(def.type)) def = defOf(def.innerType);
    else if (def.type === "pipe") def = defOf(def.in);
    else break;
  }
  let node: SchemaNode = OTHER;
  if (def?.type === "object" && def.shape) {
    const fields = new Map<string, SchemaNode>();
    node = { kind: "object", fields, loose: def.catchall?.def?.type === "unknown" };
    cache.set(schema, node); // before recursing (recursive schemas)
    for (const [k, v] of Object.entries(def.shape)) fields.set(k, schemaNodeOf(v));
    return node;
  }
  if (def?.type === "array") node = { kind: "array", element: schemaNodeOf(def.element) };
  else if (def?.type === "record") node = { kind: "record", value: schemaNodeOf(def.valueType) };
  cache.set(schema, node);
  return node;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** An unknown field found by {@link findUnknownFields}. */
export interface UnknownField {
  readonly path: readonly PathSegment[];
  readonly key: string;
  readonly suggestion: string | undefined;
}

/**
 * Every field of `value` its schema does not declare. Objects declared strict or plain (whose unknown fields zod
 * would drop silently) are always checked; loose objects (which keep extra fields) only where `checkLoose(path)`
 * says so — the top level of a task, for example (SPEC §3: unknown top-level fields are warnings).
 */
export function findUnknownFields(
  value: unknown,
  node: SchemaNode,
  checkLoose: (path: readonly PathSegment[]) => boolean,
): UnknownField[] {
  const out: UnknownField[] = [];
  const path: PathSegment[] = []; // one stack, copied only when something is reported
  const walk = (v: unknown, n: SchemaNode): void => {
    if (n.kind === "object" && isPlainObject(v)) {
      const check = !n.loose || checkLoose(path);
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        const child = n.fields.get(key);
        if (child) {
          if (child.kind === "other") continue;
          path.push(key);
          walk(v[key], child);
          path.pop();
        } else if (check) {
          out.push({ path: [...path, key], key, suggestion: closest(key, n.fields.keys()) });
        }
      }
    } else if (n.kind === "array" && Array.isArray(v)) {
      if (n.element.kind === "other") return;
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i], n.element);
        path.pop();
      }
    } else if (n.kind === "record" && isPlainObject(v)) {
      if (n.value.kind === "other") return;
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        path.push(key);
        walk(v[key], n.value);
        path.pop();
      }
    }
  };
  walk(value, node);
  return out;
}

/**
 * PowerShell hashtable keys are case-insensitive (`capabilityid` is `CapabilityId`), so a `.psd1` written for
 * the original spec works unchanged: keys that match a declared field case-insensitively get its spelling.
 * Returns a new value; `value` is not changed.
 */
export function canonicalizeKeyCase(value: unknown, node: SchemaNode): unknown {
  if (node.kind === "object" && isPlainObject(value)) {
    const lower = new Map<string, string>();
    for (const k of node.fields.keys()) lower.set(k.toLowerCase(), k);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const canonical = node.fields.has(k) ? k : (lower.get(k.toLowerCase()) ?? k);
      const child = node.fields.get(canonical);
      const next = child ? canonicalizeKeyCase(v, child) : v;
      if (canonical === "__proto__") {
        Object.defineProperty(out, canonical, {
          value: next,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else out[canonical] = next;
    }
    return out;
  }
  if (node.kind === "array" && Array.isArray(value))
    return value.map((v) => canonicalizeKeyCase(v, node.element));
  if (node.kind === "record" && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = canonicalizeKeyCase(v, node.value);
    return out;
  }
  return value;
}
