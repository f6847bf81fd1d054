#!/usr/bin/env node
// A deterministic, offline stand-in for Aider, for the weft demo only (no model, no network, no API key).
// It speaks the part of Aider's command line that weft uses (see weft's AIDER.md): it reads the prompt from
// --message-file, edits only the --file paths it was given, commits with Aider's co-author trailer, and prints
// Aider's startup, "Applied edit to", "Commit" and "Tokens:" lines. Its one skill: adding a JSDoc comment above every
// undocumented `function name(params)` in the JavaScript files it may edit.
// To use a real model, set "aider.binary" to "aider" in weft.config.json.
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

const VERSION = "0.86.2";
const MODEL = "offline-demo";
const argv = process.argv.slice(2);
if (argv.includes("--version")) {
  process.stdout.write(`aider ${VERSION}\n`);
  process.exit(0);
}

const files = [];
const readOnly = [];
const opts = {};
const VALUE_FLAGS = new Set([
  "--message",
  "-m",
  "--message-file",
  "-f",
  "--file",
  "--read",
  "--model",
  "--aiderignore",
  "--analytics-log",
  "--chat-history-file",
  "--input-history-file",
  "--map-tokens",
  "--timeout",
  "--edit-format",
  "--encoding",
]);
for (let i = 0; i < argv.length; i++) {
  let arg = argv[i];
  let value;
  const eq = arg.indexOf("=");
  if (arg.startsWith("--") && eq !== -1) {
    value = arg.slice(eq + 1);
    arg = arg.slice(0, eq);
  } else if (VALUE_FLAGS.has(arg)) {
    value = argv[++i];
  }
  if (arg === "--file") files.push(value);
  else if (arg === "--read") readOnly.push(value);
  else if (VALUE_FLAGS.has(arg)) opts[arg] = value;
  else if (!arg.startsWith("--")) files.push(arg);
}
let prompt = opts["--message"] ?? opts["-m"] ?? "";
const messageFile = opts["--message-file"] ?? opts["-f"];
if (messageFile) prompt = readFileSync(messageFile, "utf8");
if (prompt.trim() === "") {
  process.stderr.write(
    "offline-aider: no --message or --message-file (real Aider would start an interactive chat)\n",
  );
  process.exit(2);
}

const git = (...args) => execFileSync("git", args, { encoding: "utf8" }).trim();
const tracked = git("ls-files").split("\n").filter(Boolean).length;
process.stdout.write(
  `Aider v${VERSION}\nMain model: ${MODEL} with whole edit format\nGit repo: .git with ${tracked} files\n`,
);
process.stdout.write("Repo-map: disabled because map_tokens == 0\n");
for (const f of files) process.stdout.write(`Added ${f} to the chat.\n`);
for (const f of readOnly) process.stdout.write(`Added ${f} to the chat (read-only).\n`);

function documentFunctions(text) {
  const lines = text.split("\n");
  const out = [];
  for (const [i, line] of lines.entries()) {
    const m = /^(\s*)(?:export\s+)?(?:async\s+)?function\s+([A-Za-z_$][\w$]*)\s*\(([^)]*)\)/.exec(line);
    const prev = out.length > 0 ? out[out.length - 1].trim() : "";
    if (m && !prev.endsWith("*/") && i >= 0) {
      const [, indent, name, params] = m;
      out.push(`${indent}/**`, `${indent} * ${name}: returns a greeting for the given name.`);
      for (const p of params
        .split(",")
        .map((s) => s.trim().replace(/=.*$/, "").trim())
        .filter(Boolean)) {
        out.push(`${indent} * @param {string} ${p} who to greet; a blank or missing name means "world".`);
      }
      out.push(`${indent} * @returns {string} the greeting.`, `${indent} */`);
    }
    out.push(line);
  }
  return out.join("\n");
}

const edited = [];
for (const f of files) {
  if (!/\.(c|m)?js$/.test(f) || !existsSync(f)) continue;
  const before = readFileSync(f, "utf8");
  const after = documentFunctions(before);
  if (after !== before) {
    writeFileSync(f, after);
    edited.push(f);
    process.stdout.write(`Applied edit to ${f}\n`);
  }
}

const sent =
  Math.ceil(prompt.length / 4) +
  files.reduce((n, f) => n + (existsSync(f) ? readFileSync(f, "utf8").length / 4 : 0), 0);
const received = edited.length * 60;
if (edited.length > 0) {
  const message = "docs: add JSDoc comments to the greeting functions";
  git("add", "--", ...edited);
  execFileSync("git", [
    "commit",
    "--no-verify",
    "-q",
    "-m",
    message,
    "-m",
    `Co-authored-by: aider (${MODEL}) <aider@aider.chat>`,
  ]);
  process.stdout.write(`Commit ${git("rev-parse", "--short=7", "HEAD")} ${message}\n`);
} else {
  process.stdout.write("No changes made: every function already has a doc comment.\n");
}
process.stdout.write(`Tokens: ${Math.round(sent)} sent, ${received} received.\n`);
if (opts["--analytics-log"]) {
  const properties = {
    main_model: MODEL,
    prompt_tokens: Math.round(sent),
    completion_tokens: received,
    total_tokens: Math.round(sent) + received,
    cost: 0,
    total_cost: 0,
  };
  appendFileSync(
    opts["--analytics-log"],
    `${JSON.stringify({ event: "message_send", properties, time: Date.now() / 1000 })}\n`,
  );
}
if (opts["--chat-history-file"])
  appendFileSync(opts["--chat-history-file"], `\n#### ${prompt.trim().split("\n").join("\n#### ")}\n`);
