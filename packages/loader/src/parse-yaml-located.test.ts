import { describe, expect, it } from "vitest";
import { parseYamlLocated } from "./parse-yaml-located.js";

describe("parseYamlLocated", () => {
  it("reads YAML 1.2 (core schema: `no` stays a string) with positions", () => {
    const doc = parseYamlLocated("a: 1\nflag: no\nlist:\n  - x\n  - { k: v }\n");
    expect(doc.ok).toBe(true);
    expect(doc.value).toEqual({ a: 1, flag: "no", list: ["x", { k: "v" }] });
    expect(doc.locate(["list", 1, "k"])).toMatchObject({ line: 5, column: 10 });
    expect(doc.locate(["list"], "key")).toMatchObject({ line: 3, column: 1 });
    expect(doc.locate(["missing"])).toMatchObject({ line: 1, column: 1 });
  });

  it("reports syntax errors with their position and a hint", () => {
    const doc = parseYamlLocated('a: "open\n');
    expect(doc.ok).toBe(false);
    expect(doc.problems[0]).toMatchObject({ code: "LOADER_INVALID_YAML", position: { line: 2, column: 1 } });
    expect(doc.problems[0]!.message).toMatch(/closing "quote/);
    const tabs = parseYamlLocated("a:\n\t- b\n");
    expect(tabs.problems[0]).toMatchObject({
      position: { line: 2, column: 1 },
      hint: "YAML does not allow tabs for indentation: use spaces",
    });
  });

  it("reports duplicate keys by name, keeping the document readable", () => {
    const doc = parseYamlLocated("a: 1\nb: 2\na: 3\n");
    expect(doc.problems.map((p) => `${p.code} ${p.position.line}:${p.position.column} ${p.message}`)).toEqual(
      ['LOADER_DUPLICATE_KEY 3:1 duplicate key "a" in this mapping'],
    );
  });

  it("resolves aliases when locating, and limits alias expansion", () => {
    const doc = parseYamlLocated("base: &b { x: 1 }\nuse: *b\n");
    expect(doc.value).toEqual({ base: { x: 1 }, use: { x: 1 } });
    expect(doc.locate(["use", "x"])).toMatchObject({ line: 1, column: 15 });
    const bomb = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]"];
    for (let i = 0; i < 8; i++)
      bomb.push(`${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(9).fill(`*${"abcdefghij"[i]}`).join(", ")}]`);
    const laughs = parseYamlLocated(`${bomb.join("\n")}\n`);
    expect(laughs.ok).toBe(false);
  });
});
