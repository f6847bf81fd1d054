import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePsd1 } from "./parse-psd1.js";

/** `line:col message` of every problem, for compact assertions. */
function problems(text: string): string[] {
  return parsePsd1(text).problems.map((p) => `${p.position.line}:${p.position.column} ${p.message}`);
}

function value(text: string): unknown {
  const doc = parsePsd1(text);
  expect(doc.problems).toEqual([]);
  expect(doc.ok).toBe(true);
  return doc.value;
}

describe("parsePsd1: values (SPEC §1 data subset)", () => {
  it("reads the spec's registry form: a top-level @( @{ … }, … )", () => {
    const text = `# capabilities
@(
    @{
        CapabilityId = 'git'      # a comment
        Version      = "2.30.0"
        DeprecatedBy = $null
        Requirements = @()
        Operations   = @('worktree', 'commit')
    },
    @{ CapabilityId = 'node'; Version = '20.0.0'; Stable = $true; Old = $False }
)
`;
    expect(value(text)).toEqual([
      {
        CapabilityId: "git",
        Version: "2.30.0",
        DeprecatedBy: null,
        Requirements: [],
        Operations: ["worktree", "commit"],
      },
      { CapabilityId: "node", Version: "20.0.0", Stable: true, Old: false },
    ]);
  });

  it("reads numbers: integers, decimals, exponents, signs, hex and the kb…pb multipliers", () => {
    expect(
      value("@( 0, 42, -5, +7, 1.5, .5, -0.25, 1e3, 2.5E-1, 0x1F, 0xff, 1kb, 2MB, 1gb, 10l, 3d )"),
    ).toEqual([0, 42, -5, 7, 1.5, 0.5, -0.25, 1000, 0.25, 31, 255, 1024, 2 * 1024 ** 2, 1024 ** 3, 10, 3]);
  });

  it("reads single-quoted strings ('' is a quote) and typographic quotes", () => {
    expect(value("@( 'it''s', '', 'a \"b\" $x `n', ‘smart’ )")).toEqual(["it's", "", 'a "b" $x `n', "smart"]);
  });

  it('reads double-quoted strings with backtick escapes, "" and literal lone dollars', () => {
    expect(
      value(
        '@( "a`tb`nc", "say `"hi`" and ""bye""", "back``tick", "cost: $ 5, `$HOME", "`u{263A}", "end$" )',
      ),
    ).toEqual(["a\tb\nc", 'say "hi" and "bye"', "back`tick", "cost: $ 5, $HOME", "\u263a", "end$"]);
  });

  it("reads here-strings, keeping inner quotes and dropping the first and last line break", () => {
    const text = "@{\n  A = @'\nline 1 'quoted'\n  line 2\n'@\n  B = @\"\ntab`there\n\"@\n}\n";
    // `t is a tab: "tab`there" is "tab", a tab, "here".
    expect(value(text)).toEqual({ A: "line 1 'quoted'\n  line 2", B: "tab\there" });
  });

  it("reads comma lists as arrays, with line breaks after commas, and the unary comma", () => {
    expect(value("@{ A = 'x', 'y',\n      'z'; B = ,'only'; C = 'scalar' }")).toEqual({
      A: ["x", "y", "z"],
      B: ["only"],
      C: "scalar",
    });
  });

  it("unrolls each statement of @( … ) one level, as PowerShell does", () => {
    expect(value("@( @(1, 2) )")).toEqual([1, 2]);
    expect(value("@( @(1, 2), @(3, 4) )")).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(value("@(\n  1, 2\n  3\n  @(4, 5)\n)")).toEqual([1, 2, 3, 4, 5]);
    expect(value("@( ,@(1, 2) )")).toEqual([[1, 2]]);
    expect(value("@( @{ A = 1 } )")).toEqual([{ A: 1 }]);
    expect(value("@( $null )")).toEqual([null]);
  });

  it("accepts quoted and numeric keys, ';' and line breaks as separators, comments everywhere", () => {
    const text =
      "@{ 'Key One' = 1; \"Key Two\" = 2; 3 = 'three'\n<# block\n comment #> Four = 4 ;; Five = `\n 5 }";
    expect(value(text)).toEqual({ "Key One": 1, "Key Two": 2, "3": "three", Four: 4, Five: 5 });
  });

  it("keeps __proto__ as a plain key and never touches the prototype", () => {
    const v = value("@{ __proto__ = @{ polluted = $true } }") as Record<string, unknown>;
    expect(Object.hasOwn(v, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("strips a byte order mark and accepts CRLF line ends", () => {
    expect(value("\ufeff@{\r\n  A = 1\r\n  B = 'x'\r\n}\r\n")).toEqual({ A: 1, B: "x" });
  });
});

describe("parsePsd1: errors with line:column (never evaluated)", () => {
  it("reports a truncated file at the end, naming the unclosed bracket", () => {
    expect(problems("@(\n  @{\n    A = 1\n")).toEqual([
      "4:1 unexpected end of file: the hashtable '@{' opened at line 2, column 3 is never closed",
    ]);
    expect(problems("@( 'a', 'b'")).toEqual([
      "1:12 unexpected end of file: the array '@(' opened at line 1, column 1 is never closed",
    ]);
  });

  it("rejects sub-expressions, variables, commands, casts and script blocks", () => {
    expect(problems("@{ V = $(Get-Date) }")).toEqual([
      "1:8 sub-expression '$(…)' is not allowed in a data file: weft reads data and never runs PowerShell",
    ]);
    expect(problems("@{ V = $env:HOME }")).toEqual([
      "1:8 variable '$env:HOME' is not allowed in a data file: only $true, $false and $null are",
    ]);
    expect(problems("@{ V = stable }")).toEqual([
      "1:8 unquoted text 'stable' is a command in PowerShell, not a value",
    ]);
    expect(problems("@{ V = [int]5 }")).toEqual([
      "1:8 type casts and attributes '[…]' are not allowed in a data file",
    ]);
    expect(problems("@{ V = { 1 } }")).toEqual(["1:8 script blocks '{ … }' are not allowed in a data file"]);
    expect(problems("@{ V = (1) }")).toEqual([
      "1:8 parenthesised expressions are not allowed in a data file",
    ]);
    expect(problems("@{ V = 1 + 2 }")).toEqual([
      "1:10 expected ';', a new line or '}' after the value of 'V', found '+'",
    ]);
  });

  it("rejects expanding double-quoted strings (decision: an error, not literal text)", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: PowerShell's ${name} syntax, not a JS template
    expect(problems('@{ A = "hi $name"; B = "x $(1+1)"; C = "${braced}" }')).toEqual([
      "1:12 variable '$name' inside a double-quoted string would be expanded by PowerShell; weft does not evaluate variables",
      "1:27 sub-expression '$(…)' inside a double-quoted string: weft does not evaluate PowerShell",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: PowerShell's ${name} syntax, not a JS template
      "1:41 variable '${braced}' inside a double-quoted string would be expanded by PowerShell; weft does not evaluate variables",
    ]);
  });

  it("reports every recoverable problem in one pass", () => {
    expect(problems("@{\n  A = $foo\n  B = bar\n  C = 1.2.3\n}")).toEqual([
      "2:7 variable '$foo' is not allowed in a data file: only $true, $false and $null are",
      "3:7 unquoted text 'bar' is a command in PowerShell, not a value",
      "4:7 '1.2.3' is not a number, and unquoted text is not a value in a data file",
    ]);
  });

  it("reports structural mistakes with a hint", () => {
    const doc = parsePsd1("@{\n  A = 1\n  B 2\n}");
    expect(doc.ok).toBe(false);
    expect(doc.problems[0]).toMatchObject({
      code: "LOADER_PSD1_SYNTAX",
      message: "expected '=' after the key 'B', found a number",
      hint: "write the entry as B = value",
      position: { line: 3, column: 5 },
    });
    expect(problems("@( 1, )")).toEqual([
      "1:5 a comma must be followed by another value, found ')' (trailing comma)",
    ]);
    expect(problems("@{ A = 1 B = 2 }")).toEqual([
      "1:10 expected ';', a new line or '}' after the value of 'A', found 'B'",
    ]);
    expect(problems("@( 1 }")).toEqual(["1:6 found '}' inside an array '@(': the brackets do not match"]);
    expect(problems("@{ A = }")).toEqual(["1:8 missing value for the key 'A'"]);
    expect(problems("@{ A = 'open }")).toEqual(["1:8 string is never closed (missing ')"]);
    expect(problems("@{ A = 1 }\n@{ B = 2 }")).toEqual([
      "2:1 expected the end of the file after the value, found '@{'",
    ]);
    expect(problems("")).toEqual(["1:1 the file is empty"]);
    expect(problems("<# never closed")).toEqual(["1:1 block comment '<#' is never closed"]);
    expect(problems("@{ A = @'\ntext\n}")).toEqual(["1:8 here-string '@'' is never closed"]);
  });

  it("reports duplicate keys case-insensitively (as PowerShell does) without losing the value", () => {
    const doc = parsePsd1("@{\n  Name = 'a'\n  name = 'b'\n}");
    expect(doc.ok).toBe(true);
    expect(doc.value).toEqual({ Name: "a" });
    expect(doc.problems.map((p) => [p.code, p.position.line, p.position.column, p.fatal])).toEqual([
      ["LOADER_DUPLICATE_KEY", 3, 3, false],
    ]);
  });
});

describe("parsePsd1: positions", () => {
  const text = "@(\n  @{\n    Id = 'a'\n    Meta = @{ Tags = @('x', 'y') }\n  }\n)";
  const doc = parsePsd1(text);

  it("locates values and keys by path", () => {
    expect(doc.locate([0, "Id"])).toMatchObject({ line: 3, column: 10 });
    expect(doc.locate([0, "Id"], "key")).toMatchObject({ line: 3, column: 5 });
    expect(doc.locate([0, "Meta", "Tags", 1])).toMatchObject({ line: 4, column: 29 });
    expect(doc.locate([0])).toMatchObject({ line: 2, column: 3 });
  });

  it("falls back to the deepest existing ancestor, and matches keys case-insensitively", () => {
    expect(doc.locate([0, "Missing"])).toMatchObject({ line: 2, column: 3 });
    expect(doc.locate([0, "meta", "tags", 0])).toMatchObject({ line: 4, column: 24 });
    expect(doc.locate([5])).toMatchObject({ line: 1, column: 1 });
  });
});

/** Writes a JSON-like value as PowerShell data (the inverse of the parser, for the round-trip property). */
function toPsd1(v: unknown, style: number): string {
  if (v === null) return "$null";
  if (v === true) return style % 2 ? "$true" : "$TRUE";
  if (v === false) return "$false";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") {
    if (style % 3 === 0 || /[\0-\x1f`]/.test(v)) {
      return `"${[...v]
        .map((c) =>
          c === '"'
            ? '`"'
            : c === "`"
              ? "``"
              : c === "$"
                ? "`$"
                : c === "\n"
                  ? "`n"
                  : c === "\t"
                    ? "`t"
                    : c < " "
                      ? `\`u{${c.charCodeAt(0).toString(16)}}`
                      : c,
        )
        .join("")}"`;
    }
    return `'${v.replace(/'/g, "''").replace(/[‘’‚‛]/g, "''")}'`;
  }
  if (Array.isArray(v)) {
    // @( ) unrolls each statement one level. One statement per line: every nested array needs the unary comma.
    // One comma-separated statement of two or more items: the list itself is what gets unrolled, so only a
    // lone nested array needs the comma.
    const oneStatement = style % 2 === 1;
    const items = v.map((x) =>
      Array.isArray(x) && (!oneStatement || v.length === 1)
        ? `,${toPsd1(x, style + 1)}`
        : toPsd1(x, style + 1),
    );
    return oneStatement ? `@(${items.join(", ")})` : `@(\n${items.join("\n")}\n)`;
  }
  const entries = Object.entries(v as Record<string, unknown>).map(
    ([k, x]) => `'${k.replace(/'/g, "''")}' = ${toPsd1(x, style + 1)}`,
  );
  return style % 2 ? `@{ ${entries.join("; ")} }` : `@{\n  ${entries.join("\n  ")}\n}`;
}

describe("parsePsd1: round trip (property)", () => {
  it("parses what a PowerShell data writer produces back to the same value", () => {
    const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !/[‘’‚‛]/.test(k));
    const str = fc.string({ maxLength: 12 }).filter((s) => !/[‘’‚‛“”„]/.test(s));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.integer({ min: -1e6, max: 1e6 }),
        fc
          .double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
          .map((d) => (Object.is(d, -0) ? 0 : d)),
        str,
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(key, tie("value"), { maxKeys: 4 }).filter((o) => {
          const lower = Object.keys(o).map((k) => k.toLowerCase());
          return new Set(lower).size === lower.length; // keys are case-insensitive in PowerShell
        }),
      ),
    }));
    fc.assert(
      fc.property(json.value, fc.nat(5), (v, style) => {
        // A top-level array is written as @( … ) directly (unrolling applies to its elements only).
        const doc = parsePsd1(toPsd1(v, style));
        expect(doc.problems).toEqual([]);
        expect(doc.value).toEqual(v);
      }),
      { numRuns: 300, seed: 20260126 },
    );
  });
});
