/**
 * A parser for the PowerShell data-file subset (`.psd1`), written for weft: it never runs PowerShell.
 *
 * Accepted (SPEC §1):
 * - hashtables `@{ Key = value; 'Other Key' = value }` — keys are bare words, quoted strings or numbers;
 *   entries are separated by new lines and/or `;`; keys are unique case-insensitively (as in PowerShell);
 * - arrays `@( a, b )`, `@( a \n b )`, and comma lists `a, b` (also the unary `,a`); inside `@( … )` each
 *   statement is unrolled one level, exactly as PowerShell does (`@( @(1,2) )` is `1, 2`, while
 *   `@( @(1,2), @(3,4) )` is two arrays);
 * - single-quoted strings (`''` is a quote), double-quoted strings with backtick escapes (`` `n ``, `` `t ``,
 *   `` `" ``, `` `$ ``, `` `u{263A} `` …) and `""`; here-strings `@' … '@` and `@" … "@`; the typographic
 *   quotes PowerShell also accepts (‘ ’ “ ”);
 * - numbers: integers, decimals, exponents, hex `0x1F`, a leading `-`/`+`, the suffixes `l`/`d` and the
 *   multipliers `kb mb gb tb pb`;
 * - `$true`, `$false`, `$null` (any case); `#` line comments, `<# … #>` block comments, a backtick at the
 *   end of a line (line continuation).
 *
 * Rejected with `line:column` and a hint, never evaluated: variables, sub-expressions `$( … )`, commands and
 * unquoted words as values, type casts `[int]`, script blocks, operators. **Decision:** a double-quoted
 * string that PowerShell would expand (`"$name"`, `"$(…)"`, `"${x}"`) is an error, not literal text —
 * guessing would silently give data different from what PowerShell gives; a lone `$` (e.g. `"cost: $ 5"`)
 * and the escape `` `$ `` are literal.
 */
import { LineIndex } from "./internal/line-index.js";
import type {
  LocatedDocument,
  LocateTarget,
  PathSegment,
  SourcePosition,
  SyntaxProblem,
} from "./located-document.js";

/** A parsed `.psd1` node with the offsets it came from (kept so positions are computed only on demand). */
type Psd1Node =
  | { readonly kind: "hash"; readonly offset: number; readonly entries: Psd1Entry[]; readonly value: object }
  | { readonly kind: "array"; readonly offset: number; readonly items: Psd1Node[]; readonly value: unknown[] }
  | { readonly kind: "scalar"; readonly offset: number; readonly value: unknown };

interface Psd1Entry {
  readonly key: string;
  readonly keyOffset: number;
  readonly node: Psd1Node;
}

type TokenKind =
  | "hashStart" // @{
  | "arrayStart" // @(
  | "rbrace"
  | "rparen"
  | "equals"
  | "semi"
  | "comma"
  | "newline"
  | "string"
  | "number"
  | "variable"
  | "word"
  | "sign" // + or - (unary, before a number)
  | "bad" // something outside the subset: reported by the parser with context
  | "eof";

interface Token {
  readonly kind: TokenKind;
  readonly offset: number;
  readonly end: number;
  /** Decoded value (strings, numbers), name (variables, words), or the raw text (bad, sign). */
  readonly value: string | number;
}

class Psd1SyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
    readonly hint: string,
    readonly duplicateKey = false,
  ) {
    super(problem);
  }
}

const SINGLE_QUOTES = new Set(["'", "\u2018", "\u2019", "\u201a", "\u201b"]);
const DOUBLE_QUOTES = new Set(['"', "\u201c", "\u201d", "\u201e"]);
const DASHES = new Set(["-", "\u2013", "\u2014", "\u2015"]);
const MULTIPLIERS: Record<string, number> = {
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  tb: 1024 ** 4,
  pb: 1024 ** 5,
};
const ALLOWED_VARIABLES: Record<string, true | false | null> = { true: true, false: false, null: null };

function isSpace(c: string): boolean {
  return (
    c === " " ||
    c === "\t" ||
    c === "\f" ||
    c === "\v" ||
    c === "\u00a0" ||
    c === "\ufeff" ||
    c === "\u0085" ||
    (c >= "\u2000" && c <= "\u200a") ||
    c === "\u2028" ||
    c === "\u2029" ||
    c === "\u202f" ||
    c === "\u205f" ||
    c === "\u3000"
  );
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/** Characters that end a bare word (and cannot start one). */
function isWordBreak(c: string): boolean {
  return (
    isSpace(c) ||
    c === "\n" ||
    c === "\r" ||
    "{}()[];,=#$`@|&<>".includes(c) ||
    SINGLE_QUOTES.has(c) ||
    DOUBLE_QUOTES.has(c)
  );
}

function isVariableNameChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_?^$:]/.test(c);
}

function describeToken(t: Token): string {
  switch (t.kind) {
    case "hashStart":
      return "'@{'";
    case "arrayStart":
      return "'@('";
    case "rbrace":
      return "'}'";
    case "rparen":
      return "')'";
    case "equals":
      return "'='";
    case "semi":
      return "';'";
    case "comma":
      return "','";
    case "newline":
      return "the end of the line";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "variable":
      return `'$${t.value}'`;
    case "word":
      return `'${t.value}'`;
    case "sign":
    case "bad":
      return `'${t.value}'`;
    case "eof":
      return "the end of the file";
  }
}

/** Tokenizer: comments and line continuations are skipped; new lines are tokens (they separate entries). */
class Lexer {
  readonly #text: string;
  #pos = 0;
  /** Problems found while lexing that do not stop parsing (e.g. a variable inside a double-quoted string). */
  readonly soft: Psd1SyntaxError[] = [];

  constructor(text: string) {
    this.#text = text;
  }

  next(): Token {
    const text = this.#text;
    for (;;) {
      const c = text[this.#pos];
      if (c === undefined) return { kind: "eof", offset: text.length, end: text.length, value: "" };
      if (isSpace(c)) {
        this.#pos++;
        continue;
      }
      if (c === "`") {
        // Line continuation: a backtick directly before the line break.
        const n = text[this.#pos + 1];
        if (n === "\n" || n === "\r") {
          this.#pos += n === "\r" && text[this.#pos + 2] === "\n" ? 3 : 2;
          continue;
        }
        throw new Psd1SyntaxError(
          this.#pos,
          "a backtick outside a string is only allowed at the very end of a line (line continuation)",
          "remove the backtick, or move it to the end of the line",
        );
      }
      if (c === "#") {
        while (this.#pos < text.length && text[this.#pos] !== "\n" && text[this.#pos] !== "\r") this.#pos++;
        continue;
      }
      if (c === "<" && text[this.#pos + 1] === "#") {
        const close = text.indexOf("#>", this.#pos + 2);
        if (close < 0) {
          throw new Psd1SyntaxError(
            this.#pos,
            "block comment '<#' is never closed",
            "close the comment with '#>'",
          );
        }
        this.#pos = close + 2;
        continue;
      }
      break;
    }
    const start = this.#pos;
    const c = text[start]!;
    const one = (kind: TokenKind): Token => {
      this.#pos = start + 1;
      return { kind, offset: start, end: start + 1, value: c };
    };
    if (c === "\n" || c === "\r") {
      this.#pos = start + (c === "\r" && text[start + 1] === "\n" ? 2 : 1);
      return { kind: "newline", offset: start, end: this.#pos, value: "" };
    }
    if (c === "@") {
      const n = text[start + 1];
      if (n === "{") {
        this.#pos = start + 2;
        return { kind: "hashStart", offset: start, end: start + 2, value: "@{" };
      }
      if (n === "(") {
        this.#pos = start + 2;
        return { kind: "arrayStart", offset: start, end: start + 2, value: "@(" };
      }
      if (n !== undefined && (SINGLE_QUOTES.has(n) || DOUBLE_QUOTES.has(n))) return this.#hereString(start);
      return this.#bad(start, 1);
    }
    if (c === "}") return one("rbrace");
    if (c === ")") return one("rparen");
    if (c === "=") return one("equals");
    if (c === ";") return one("semi");
    if (c === ",") return one("comma");
    if (SINGLE_QUOTES.has(c)) return this.#singleQuoted(start);
    if (DOUBLE_QUOTES.has(c)) return this.#doubleQuoted(start);
    if (c === "$") return this.#variable(start);
    if (isDigit(c) || (c === "." && isDigit(text[start + 1]))) return this.#numberOrWord(start);
    if (DASHES.has(c) || c === "+") {
      const n = text[start + 1];
      if (isDigit(n) || (n === "." && isDigit(text[start + 2]))) return one("sign");
      return this.#bad(start, 1);
    }
    if (!isWordBreak(c)) {
      let end = start + 1;
      while (end < text.length && !isWordBreak(text[end]!)) end++;
      this.#pos = end;
      return { kind: "word", offset: start, end, value: text.slice(start, end) };
    }
    return this.#bad(start, 1);
  }

  #bad(start: number, length: number): Token {
    this.#pos = start + length;
    return {
      kind: "bad",
      offset: start,
      end: start + length,
      value: this.#text.slice(start, start + length),
    };
  }

  #singleQuoted(start: number): Token {
    const text = this.#text;
    let out = "";
    let i = start + 1;
    for (;;) {
      const c = text[i];
      if (c === undefined) {
        throw new Psd1SyntaxError(
          start,
          "string is never closed (missing ')",
          "add the closing single quote; write a quote inside a single-quoted string as ''",
        );
      }
      if (SINGLE_QUOTES.has(c)) {
        const n = text[i + 1];
        if (n !== undefined && SINGLE_QUOTES.has(n)) {
          out += "'";
          i += 2;
          continue;
        }
        this.#pos = i + 1;
        return { kind: "string", offset: start, end: i + 1, value: out };
      }
      out += c;
      i++;
    }
  }

  #doubleQuoted(start: number): Token {
    const text = this.#text;
    let out = "";
    let i = start + 1;
    for (;;) {
      const c = text[i];
      if (c === undefined) {
        throw new Psd1SyntaxError(
          start,
          'string is never closed (missing ")',
          'add the closing double quote; write a quote inside a double-quoted string as `" or ""',
        );
      }
      if (DOUBLE_QUOTES.has(c)) {
        const n = text[i + 1];
        if (n !== undefined && DOUBLE_QUOTES.has(n)) {
          out += '"';
          i += 2;
          continue;
        }
        this.#pos = i + 1;
        return { kind: "string", offset: start, end: i + 1, value: out };
      }
      if (c === "`") {
        const [decoded, length] = this.#escape(i);
        out += decoded;
        i += length;
        continue;
      }
      if (c === "$") {
        this.#checkExpansion(i);
      }
      out += c;
      i++;
    }
  }

  /** Decodes the backtick escape at `i`; returns the text and how many characters it used. */
  #escape(i: number): [string, number] {
    const text = this.#text;
    const n = text[i + 1];
    if (n === undefined) return ["`", 1];
    switch (n) {
      case "0":
        return ["\0", 2];
      case "a":
        return ["\u0007", 2];
      case "b":
        return ["\b", 2];
      case "e":
        return ["\u001b", 2];
      case "f":
        return ["\f", 2];
      case "n":
        return ["\n", 2];
      case "r":
        return ["\r", 2];
      case "t":
        return ["\t", 2];
      case "v":
        return ["\v", 2];
      case "u": {
        const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(text.slice(i + 2, i + 11));
        const code = m ? Number.parseInt(m[1]!, 16) : Number.NaN;
        if (!m || code > 0x10ffff) {
          this.soft.push(
            new Psd1SyntaxError(
              i,
              "invalid Unicode escape: expected `u{XXXX} with 1 to 6 hex digits (at most 10FFFF)",
              "write the escape as `u{263A}, or use the character itself",
            ),
          );
          return ["u", 2];
        }
        return [String.fromCodePoint(code), 2 + m[0].length];
      }
      default:
        // Any other escaped character is itself: `" `' `$ `` and a backtick-newline.
        return [n, 2];
    }
  }

  /** `$` inside a double-quoted string: literal only when PowerShell would not expand it. */
  #checkExpansion(i: number): void {
    const n = this.#text[i + 1];
    if (n === "(") {
      this.soft.push(
        new Psd1SyntaxError(
          i,
          "sub-expression '$(…)' inside a double-quoted string: weft does not evaluate PowerShell",
          "write the text itself in a single-quoted string ('…'), or escape the dollar sign as `$",
        ),
      );
    } else if (n === "{" || isVariableNameChar(n)) {
      const m = /^\$(\{[^}]*\}|[A-Za-z0-9_?^$:]+)/.exec(this.#text.slice(i, i + 130));
      this.soft.push(
        new Psd1SyntaxError(
          i,
          `variable '${m ? m[0] : "$"}' inside a double-quoted string would be expanded by PowerShell; weft does not evaluate variables`,
          "use a single-quoted string ('…') for literal text, or escape the dollar sign as `$",
        ),
      );
    }
  }

  #hereString(start: number): Token {
    const text = this.#text;
    const quote = text[start + 1]!;
    const single = SINGLE_QUOTES.has(quote);
    // The opener must be the last thing on its line.
    let i = start + 2;
    while (i < text.length && isSpace(text[i]!)) i++;
    if (text[i] !== "\n" && text[i] !== "\r") {
      throw new Psd1SyntaxError(
        i < text.length ? i : start,
        `a here-string opener '@${quote}' must be the last thing on its line`,
        `start the text on the next line after '@${quote}'`,
      );
    }
    i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
    const contentStart = i;
    // The closer is a quote + '@' at the very start of a line.
    const closers = single ? SINGLE_QUOTES : DOUBLE_QUOTES;
    let lineStart = contentStart;
    for (;;) {
      if (lineStart >= text.length) {
        throw new Psd1SyntaxError(
          start,
          `here-string '@${quote}' is never closed`,
          `end it with ${quote}@ at the very start of a line`,
        );
      }
      const c = text[lineStart]!;
      if (closers.has(c) && text[lineStart + 1] === "@") break;
      let e = lineStart;
      while (e < text.length && text[e] !== "\n" && text[e] !== "\r") e++;
      if (e >= text.length) {
        lineStart = e;
        continue;
      }
      lineStart = e + (text[e] === "\r" && text[e + 1] === "\n" ? 2 : 1);
    }
    // Content ends before the line break that precedes the closer.
    let contentEnd = lineStart;
    if (contentEnd > contentStart) {
      contentEnd--;
      if (text[contentEnd] === "\n" && text[contentEnd - 1] === "\r" && contentEnd - 1 >= contentStart)
        contentEnd--;
    }
    const raw = text.slice(contentStart, Math.max(contentStart, contentEnd));
    let value = raw;
    if (!single) {
      value = "";
      for (let j = 0; j < raw.length; ) {
        const c = raw[j]!;
        if (c === "`") {
          const [decoded, length] = this.#escape(contentStart + j);
          value += decoded;
          j += length;
          continue;
        }
        if (c === "$") this.#checkExpansion(contentStart + j);
        value += c;
        j++;
      }
    }
    this.#pos = lineStart + 2;
    return { kind: "string", offset: start, end: this.#pos, value };
  }

  #variable(start: number): Token {
    const text = this.#text;
    const n = text[start + 1];
    if (n === "(") {
      throw new Psd1SyntaxError(
        start,
        "sub-expression '$(…)' is not allowed in a data file: weft reads data and never runs PowerShell",
        "replace the sub-expression with the literal value it stands for",
      );
    }
    if (n === "{") {
      const close = text.indexOf("}", start);
      const name = close > 0 ? text.slice(start + 2, close) : "";
      this.#pos = close > 0 ? close + 1 : start + 2;
      return { kind: "variable", offset: start, end: this.#pos, value: `{${name}}` };
    }
    let end = start + 1;
    while (end < text.length && isVariableNameChar(text[end])) end++;
    if (end === start + 1) return this.#bad(start, 1);
    this.#pos = end;
    return { kind: "variable", offset: start, end, value: text.slice(start + 1, end) };
  }

  #numberOrWord(start: number): Token {
    const text = this.#text;
    let end = start;
    while (end < text.length && !isWordBreak(text[end]!)) end++;
    const raw = text.slice(start, end);
    this.#pos = end;
    const value = parseNumber(raw);
    if (value === undefined) return { kind: "word", offset: start, end, value: raw };
    return { kind: "number", offset: start, end, value };
  }
}

/** PowerShell numeric literal → number, or `undefined` when `raw` is not one. */
function parseNumber(raw: string): number | undefined {
  const hex = /^0x([0-9a-f]+)(l)?(kb|mb|gb|tb|pb)?$/i.exec(raw);
  if (hex) return Number.parseInt(hex[1]!, 16) * (hex[3] ? MULTIPLIERS[hex[3].toLowerCase()]! : 1);
  const dec = /^((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([ld])?(kb|mb|gb|tb|pb)?$/i.exec(raw);
  if (!dec) return undefined;
  return Number(dec[1]) * (dec[3] ? MULTIPLIERS[dec[3].toLowerCase()]! : 1);
}

class Parser {
  readonly #lexer: Lexer;
  #token: Token;
  #peeked: Token | undefined;

  readonly #lines: LineIndex;

  constructor(text: string, lines: LineIndex) {
    this.#lexer = new Lexer(text);
    this.#lines = lines;
    this.#token = this.#lexer.next();
  }

  /** "unexpected end of file" at EOF, naming where the unclosed bracket was opened. */
  #unclosed(opener: "@{" | "@(", offset: number): Psd1SyntaxError {
    const at = this.#lines.positionAt(offset);
    const what = opener === "@{" ? "hashtable" : "array";
    const closer = opener === "@{" ? "}" : ")";
    return new Psd1SyntaxError(
      this.#tok().offset,
      `unexpected end of file: the ${what} '${opener}' opened at line ${at.line}, column ${at.column} is never closed`,
      `add the closing '${closer}' (the file may be truncated)`,
    );
  }

  get soft(): Psd1SyntaxError[] {
    return this.#lexer.soft;
  }

  /** The current token (a method, so TypeScript does not keep a narrowing across #advance()). */
  #tok(): Token {
    return this.#token;
  }

  #advance(): Token {
    const t = this.#tok();
    this.#token = this.#peeked ?? this.#lexer.next();
    this.#peeked = undefined;
    return t;
  }

  #skipNewlines(): void {
    while (this.#tok().kind === "newline") this.#advance();
  }

  #skipSeparators(): void {
    while (this.#tok().kind === "newline" || this.#tok().kind === "semi") this.#advance();
  }

  parseFile(): Psd1Node {
    this.#skipSeparators();
    if (this.#tok().kind === "eof") {
      throw new Psd1SyntaxError(
        0,
        "the file is empty",
        "a data file holds one value, e.g. @( @{ … }, @{ … } )",
      );
    }
    const node = this.#commaList();
    this.#skipSeparators();
    if (this.#tok().kind !== "eof") {
      const t = this.#tok();
      throw new Psd1SyntaxError(
        t.offset,
        `expected the end of the file after the value, found ${describeToken(t)}`,
        "a data file holds exactly one value: wrap several values in @( … ) separated by commas",
      );
    }
    return node;
  }

  /** `value (, value)*` — more than one value (or a unary comma) makes an array. */
  #commaList(): Psd1Node {
    const first = this.#unary();
    if (this.#tok().kind !== "comma") return first;
    const items = [first];
    while (this.#tok().kind === "comma") {
      const comma = this.#advance();
      this.#skipNewlines(); // a line may end after a comma
      const t = this.#tok();
      if (t.kind === "rparen" || t.kind === "rbrace" || t.kind === "semi") {
        throw new Psd1SyntaxError(
          comma.offset,
          `a comma must be followed by another value, found ${describeToken(t)} (trailing comma)`,
          "remove the trailing comma",
        );
      }
      items.push(this.#unary());
    }
    return { kind: "array", offset: first.offset, items, value: items.map((n) => n.value) };
  }

  #unary(): Psd1Node {
    if (this.#tok().kind === "comma") {
      const comma = this.#advance();
      this.#skipNewlines();
      const inner = this.#unary();
      return { kind: "array", offset: comma.offset, items: [inner], value: [inner.value] };
    }
    return this.#primary();
  }

  #primary(): Psd1Node {
    const t = this.#tok();
    switch (t.kind) {
      case "hashStart":
        this.#advance();
        return this.#hash(t.offset);
      case "arrayStart":
        this.#advance();
        return this.#array(t.offset);
      case "string":
      case "number":
        this.#advance();
        return { kind: "scalar", offset: t.offset, value: t.value };
      case "sign": {
        this.#advance();
        const n = this.#tok();
        if (n.kind !== "number" || n.offset !== t.end) throw this.#unexpected(n, "a number after the sign");
        this.#advance();
        const v = t.value === "+" ? (n.value as number) : -(n.value as number);
        return { kind: "scalar", offset: t.offset, value: v === 0 ? 0 : v };
      }
      case "variable": {
        this.#advance();
        const name = String(t.value).toLowerCase();
        if (Object.hasOwn(ALLOWED_VARIABLES, name)) {
          return { kind: "scalar", offset: t.offset, value: ALLOWED_VARIABLES[name] };
        }
        // Recoverable: report, and continue with null so later problems are reported too.
        this.soft.push(
          new Psd1SyntaxError(
            t.offset,
            `variable '$${t.value}' is not allowed in a data file: only $true, $false and $null are`,
            "write the literal value instead; weft reads data and never evaluates PowerShell",
          ),
        );
        return { kind: "scalar", offset: t.offset, value: null };
      }
      case "word": {
        this.#advance();
        // An unquoted word in value position would run a command in PowerShell.
        const word = String(t.value);
        const quoted = `'${word.replace(/'/g, "''")}'`;
        this.soft.push(
          new Psd1SyntaxError(
            t.offset,
            isDigit(word[0]) || word[0] === "."
              ? `'${word}' is not a number, and unquoted text is not a value in a data file`
              : `unquoted text '${word}' is a command in PowerShell, not a value`,
            `quote it as a string: ${quoted}`,
          ),
        );
        return { kind: "scalar", offset: t.offset, value: String(t.value) };
      }
      default:
        throw this.#unexpected(t, "a value");
    }
  }

  #unexpected(t: Token, expected: string): Psd1SyntaxError {
    const raw = String(t.value);
    if (t.kind === "bad" || t.kind === "sign") {
      if (raw === "{") {
        return new Psd1SyntaxError(
          t.offset,
          "script blocks '{ … }' are not allowed in a data file",
          "write a hashtable as @{ … } (with the @)",
        );
      }
      if (raw === "(") {
        return new Psd1SyntaxError(
          t.offset,
          "parenthesised expressions are not allowed in a data file",
          "write an array as @( … ) (with the @), or the literal value itself",
        );
      }
      if (raw === "[") {
        return new Psd1SyntaxError(
          t.offset,
          "type casts and attributes '[…]' are not allowed in a data file",
          "remove the cast: weft reads plain values (strings, numbers, $true/$false/$null, @{ }, @( ))",
        );
      }
      if (raw === "$") {
        return new Psd1SyntaxError(
          t.offset,
          "a lone '$' is not a value",
          "quote it as a string ('$'), or use $true, $false or $null",
        );
      }
    }
    if (t.kind === "eof") {
      return new Psd1SyntaxError(
        t.offset,
        `unexpected end of file: expected ${expected}`,
        "the file looks truncated: complete the value and close every @{ with } and every @( with )",
      );
    }
    return new Psd1SyntaxError(
      t.offset,
      `expected ${expected}, found ${describeToken(t)}`,
      "values are strings ('…'), numbers, $true/$false/$null, hashtables @{ … } or arrays @( … )",
    );
  }

  #hash(offset: number): Psd1Node {
    const entries: Psd1Entry[] = [];
    const value: Record<string, unknown> = {};
    const seen = new Map<string, Psd1Entry>();
    this.#skipSeparators();
    while (this.#tok().kind !== "rbrace") {
      const k = this.#tok();
      let key: string;
      if (k.kind === "word" || k.kind === "string") key = String(k.value);
      else if (k.kind === "number") key = String(k.value);
      else if (k.kind === "eof") {
        throw this.#unclosed("@{", offset);
      } else {
        throw new Psd1SyntaxError(
          k.offset,
          `expected a key or '}' in the hashtable, found ${describeToken(k)}`,
          "entries look like Key = 'value', one per line or separated by ';'",
        );
      }
      this.#advance();
      if (this.#tok().kind !== "equals") {
        const t = this.#tok();
        throw new Psd1SyntaxError(
          t.kind === "newline" || t.kind === "eof" ? k.end : t.offset,
          `expected '=' after the key '${key}', found ${describeToken(t)}`,
          `write the entry as ${/^[A-Za-z_][\w.-]*$/.test(key) ? key : `'${key}'`} = value`,
        );
      }
      this.#advance();
      this.#skipNewlines();
      if (this.#tok().kind === "rbrace" || this.#tok().kind === "semi" || this.#tok().kind === "eof") {
        throw new Psd1SyntaxError(
          this.#tok().kind === "eof" ? this.#tok().offset : this.#tok().offset,
          `missing value for the key '${key}'`,
          "give the key a value, e.g. $null for none",
        );
      }
      const node = this.#commaList();
      const entry: Psd1Entry = { key, keyOffset: k.offset, node };
      const folded = key.toLowerCase();
      const previous = seen.get(folded);
      if (previous) {
        this.soft.push(
          new Psd1SyntaxError(
            k.offset,
            `duplicate key '${key}' in this hashtable (keys are case-insensitive in PowerShell)`,
            `remove one of the two '${previous.key}' entries (weft keeps the first)`,
            true,
          ),
        );
      } else {
        seen.set(folded, entry);
        entries.push(entry);
        if (key === "__proto__") {
          Object.defineProperty(value, key, {
            value: node.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else value[key] = node.value;
      }
      const sep = this.#tok();
      if (sep.kind === "rbrace") break;
      if (sep.kind !== "newline" && sep.kind !== "semi") {
        if (sep.kind === "eof") {
          throw this.#unclosed("@{", offset);
        }
        throw new Psd1SyntaxError(
          sep.offset,
          `expected ';', a new line or '}' after the value of '${key}', found ${describeToken(sep)}`,
          "put each entry on its own line, or separate entries with ';'",
        );
      }
      this.#skipSeparators();
    }
    this.#advance(); // }
    return { kind: "hash", offset, entries, value };
  }

  #array(offset: number): Psd1Node {
    const items: Psd1Node[] = [];
    this.#skipSeparators();
    while (this.#tok().kind !== "rparen") {
      if (this.#tok().kind === "eof") {
        throw this.#unclosed("@(", offset);
      }
      if (this.#tok().kind === "rbrace") {
        throw new Psd1SyntaxError(
          this.#tok().offset,
          "found '}' inside an array '@(': the brackets do not match",
          "close the array with ')' before this '}', or add the missing '@{'",
        );
      }
      const statement = this.#commaList();
      // PowerShell unrolls each statement's output one level inside @( … ).
      if (statement.kind === "array") items.push(...statement.items);
      else items.push(statement);
      const sep = this.#tok();
      if (sep.kind === "rparen") break;
      if (sep.kind !== "newline" && sep.kind !== "semi") {
        if (sep.kind === "eof") {
          throw this.#unclosed("@(", offset);
        }
        if (sep.kind === "rbrace") continue; // reported at the top of the loop
        throw new Psd1SyntaxError(
          sep.offset,
          `expected ',', a new line or ')' in the array, found ${describeToken(sep)}`,
          "separate array elements with commas or new lines",
        );
      }
      this.#skipSeparators();
    }
    this.#advance(); // )
    return { kind: "array", offset, items, value: items.map((n) => n.value) };
  }
}

function findEntry(node: Psd1Node & { kind: "hash" }, key: string): Psd1Entry | undefined {
  return (
    node.entries.find((e) => e.key === key) ??
    node.entries.find((e) => e.key.toLowerCase() === key.toLowerCase())
  );
}

/**
 * Parses the text of a `.psd1` data file. Never throws for bad input: problems come back with positions.
 * Structural errors stop the parse at the first one; recoverable ones (disallowed variables, unquoted words,
 * duplicate keys, expanding strings) are all reported.
 */
export function parsePsd1(text: string): LocatedDocument {
  const lines = new LineIndex(text);
  let parser: Parser | undefined;
  let root: Psd1Node | undefined;
  const errors: Psd1SyntaxError[] = [];
  try {
    parser = new Parser(text, lines); // reads the first token: may already fail
    root = parser.parseFile();
  } catch (e) {
    if (!(e instanceof Psd1SyntaxError)) throw e;
    errors.push(e);
  }
  errors.unshift(...(parser?.soft ?? []));
  errors.sort((a, b) => a.offset - b.offset);
  const problems: SyntaxProblem[] = errors.map((e) => ({
    code: e.duplicateKey ? "LOADER_DUPLICATE_KEY" : "LOADER_PSD1_SYNTAX",
    message: e.problem,
    hint: e.hint,
    position: lines.positionAt(e.offset),
    fatal: !e.duplicateKey,
  }));
  const ok = root !== undefined && problems.every((p) => !p.fatal);
  return {
    format: "psd1",
    ok,
    value: ok ? root!.value : undefined,
    problems,
    positionAt: (offset) => lines.positionAt(offset),
    locate(path: readonly PathSegment[], target: LocateTarget = "value"): SourcePosition {
      if (!root) return lines.positionAt(0);
      let node: Psd1Node = root;
      let keyOffset: number | undefined;
      for (const segment of path) {
        let next: Psd1Node | undefined;
        let nextKeyOffset: number | undefined;
        if (node.kind === "hash") {
          const entry = findEntry(node, String(segment));
          next = entry?.node;
          nextKeyOffset = entry?.keyOffset;
        } else if (node.kind === "array" && typeof segment === "number") {
          next = node.items[segment];
        }
        if (!next) return lines.positionAt(node.offset);
        node = next;
        keyOffset = nextKeyOffset;
      }
      return lines.positionAt(target === "key" && keyOffset !== undefined ? keyOffset : node.offset);
    },
  };
}
