import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonLocated } from "./parse-json-located.js";
import { parsePsd1 } from "./parse-psd1.js";
import { parseYamlLocated } from "./parse-yaml-located.js";

function problems(text: string): string[] {
  return parseJsonLocated(text).problems.map((p) => `${p.position.line}:${p.position.column} ${p.message}`);
}

describe("parseJsonLocated", () => {
  it("reads valid JSON with the value JSON.parse gives", () => {
    const text = '{ "a": [1, 2.5, "x\\"y"], "b": { "c": null, "d": true } }';
    const doc = parseJsonLocated(text);
    expect(doc.ok).toBe(true);
    expect(doc.problems).toEqual([]);
    expect(doc.value).toEqual(JSON.parse(text));
  });

  it("reports a truncated file at its end, naming the container left open", () => {
    expect(problems('{\n  "a": {\n    "b": [1, 2')).toEqual([
      "3:15 unexpected end of file: the array '[' opened at line 3, column 10 is never closed",
    ]);
    expect(problems('{\n  "a": 1')).toEqual([
      "2:9 unexpected end of file: the object '{' opened at line 1, column 1 is never closed",
    ]);
    expect(problems("")).toEqual(["1:1 the file is empty"]);
  });

  it("reports every comment and trailing comma (strict JSON), each at its place", () => {
    expect(problems('{\n  "a": 1,\n  "b": [1, 2,],\n  // note\n  "c": 3, /* x */\n}')).toEqual(
      [
        "3:13 trailing comma before ']'",
        "4:3 comments are not allowed in JSON",
        "5:11 comments are not allowed in JSON",
        "5:9 trailing comma before '}'",
      ].sort((a, b) => {
        const [la, ca] = a.split(" ")[0]!.split(":").map(Number);
        const [lb, cb] = b.split(" ")[0]!.split(":").map(Number);
        return la! - lb! || ca! - cb!;
      }),
    );
  });

  it("explains common mistakes with a fix", () => {
    const cases: [string, string, string][] = [
      [
        "{'a': 1}",
        "1:2 single quotes are not allowed in JSON",
        "use double quotes for strings and property names",
      ],
      ["{a: 1}", "1:2 property name a must be in double quotes", 'write it as "a"'],
      ['{"a": tru}', "1:7 'tru' is not a JSON value", 'did you mean true? Otherwise quote text as "tru"'],
      [
        '{"a": 1 "b": 2}',
        "1:9 expected ',' before '\"b\"'",
        "add a comma between the two values (or properties)",
      ],
      [
        '{"a" 1}',
        "1:6 expected ':' after the property name, found '1'",
        'write the property as "name": value',
      ],
      ['{"a": "C:\\dir"}', "1:10 invalid escape '\\d' in a string", ""],
      ['{"a": 1}{}', "1:9 unexpected '{' after the end of the JSON value", ""],
      ['{"a": 01}', "1:7 invalid number '01': JSON numbers have no leading zeros", "write 1"],
    ];
    for (const [text, expected, hint] of cases) {
      const doc = parseJsonLocated(text);
      expect(doc.ok, text).toBe(false);
      const p = doc.problems[0]!;
      expect(`${p.position.line}:${p.position.column} ${p.message}`, text).toBe(expected);
      if (hint) expect(p.hint, text).toBe(hint);
      expect(p.code).toBe("LOADER_INVALID_JSON");
    }
  });

  it("reports duplicate keys (JSON.parse would silently keep the last) but keeps the value", () => {
    const doc = parseJsonLocated('{\n  "a": 1,\n  "b": { "x": 1, "x": 2 },\n  "a": 3\n}');
    expect(doc.ok).toBe(true);
    expect(doc.value).toEqual({ a: 3, b: { x: 2 } });
    expect(doc.problems.map((p) => `${p.code} ${p.position.line}:${p.position.column} ${p.message}`)).toEqual(
      [
        'LOADER_DUPLICATE_KEY 3:18 duplicate key "x" (first at line 3, column 10); JSON keeps only the last value',
        'LOADER_DUPLICATE_KEY 4:3 duplicate key "a" (first at line 2, column 3); JSON keeps only the last value',
      ],
    );
  });

  it("does not mistake strings that contain quotes, colons or escapes for keys", () => {
    const doc = parseJsonLocated('{ "a": "x\\": y", "b": ["c:", "\\\\"], "d": "\\"e\\":" }');
    expect(doc.problems).toEqual([]);
  });

  it("locates values and keys; a missing path gives its deepest ancestor; a BOM is not a column", () => {
    const doc = parseJsonLocated('\ufeff{\n  "x": {\n    "y": [10, 20]\n  }\n}');
    expect(doc.locate(["x", "y", 1])).toMatchObject({ line: 3, column: 15 });
    expect(doc.locate(["x", "y"], "key")).toMatchObject({ line: 3, column: 5 });
    expect(doc.locate(["x", "missing"])).toMatchObject({ line: 2, column: 8 });
    expect(doc.locate([])).toMatchObject({ line: 1, column: 1 });
  });

  it("counts CRLF and lone CR line breaks as editors do", () => {
    expect(problems('{\r\n  "a": 1,\r\n  "b": 2,\r\n}')).toEqual(["3:9 trailing comma before '}'"]);
    expect(problems('{\r  "a": 1,\r}')).toEqual(["2:9 trailing comma before '}'"]);
  });
});

describe("every located parser reports instead of throwing (property)", () => {
  it("never throws on arbitrary text, and every position is inside the text", () => {
    const alphabet = fc.constantFrom(..."{}[]()@$'\"`,;:=#<>-+.0123456789abcxyz \n\r\t\\é‘’“”");
    const text = fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 60 }));
    fc.assert(
      fc.property(text, (t) => {
        for (const parse of [parseJsonLocated, parseYamlLocated, parsePsd1]) {
          const doc = parse(t);
          expect(
            doc.ok === (doc.problems.every((p) => !p.fatal) && doc.value !== undefined) || doc.ok === false,
          ).toBe(true);
          for (const p of doc.problems) {
            expect(p.position.offset).toBeGreaterThanOrEqual(0);
            expect(p.position.offset).toBeLessThanOrEqual(t.length);
            expect(p.position.line).toBeGreaterThanOrEqual(1);
            expect(p.message.length).toBeGreaterThan(0);
            expect(p.hint.length).toBeGreaterThan(0);
          }
          if (!doc.ok) expect(doc.problems.some((p) => p.fatal)).toBe(true);
        }
      }),
      { numRuns: 400, seed: 4242 },
    );
  });
});
