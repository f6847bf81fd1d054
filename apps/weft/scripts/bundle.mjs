#!/usr/bin/env node
// Bundles the CLI (dist/main.js, compiled by tsc) with its @weft packages, zod and @dagrejs/dagre into dist/weft.js
// plus lazily loaded chunks in dist/chunks/ — the `weft` binary. Why: Node 20 loads ESM file by file, and `weft run`
// loaded ~250 files (95 of them zod's) before its first task; bundled it loads ~22 and starts the first task
// ~180 ms sooner (docs/benchmarks.md). Commands are still loaded on demand (each is its own chunk).
//
// Left external, resolved from node_modules at run time: Node built-ins; pino (loaded only with --debug or
// WEFT_LOG_LEVEL); execa (a dependency tree of its own, loaded only for git and aider work); yaml (the loader
// requires it from its own package directory). Files the packages ship beside their code (the spawn launcher, the
// validators' worker, the `init --example` files, package.json) are found through the packages' names, so they
// are read from the installed @weft packages, which stay dependencies of `weft`.
import { rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(appDir, "dist");
const external = new Set([...builtinModules, "pino", "execa", "yaml"]);

rmSync(join(dist, "chunks"), { recursive: true, force: true });
const bundle = await rolldown({
  input: { weft: join(dist, "main.js") },
  platform: "node",
  external: (id) => id.startsWith("node:") || external.has(id) || external.has(id.split("/")[0] ?? ""),
  // jsonc-parser's "main" is a UMD build that requires its own files at run time; its ESM build bundles cleanly
  resolve: { mainFields: ["module", "main"] },
  logLevel: "warn",
});
await bundle.write({
  dir: dist,
  format: "esm",
  entryFileNames: "[name].js",
  chunkFileNames: "chunks/[name]-[hash].js",
  sourcemap: true,
});
await bundle.close();
