// Renders the pictures in docs/examples/ with the built CLI (run `pnpm build` first):
//   node packages/dag/scripts/render-examples.mjs
// - dag-basic.{svg,html}: the example repo (examples/basic), as `weft init --example` creates it;
// - dag-feature-login.{svg,html,mmd,dot}: a richer workstream mid-run (live statuses from a .state snapshot);
// - dag-summary-10000.svg: 10,000 tasks, drawn as one box per stage (above the size limit).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateLayeredDag, writeWeftRepo } from "../../../bench/lib/generate-dag.mjs";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const cli = join(root, "apps", "weft", "dist", "weft.js");
const docs = join(root, "docs", "examples");
mkdirSync(docs, { recursive: true });

function weft(cwd, ...args) {
  const r = spawnSync(process.execPath, [cli, ...args, "--cwd", cwd], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`weft ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
}

const tmp = mkdtempSync(join(tmpdir(), "weft-examples-"));
try {
  const basic = join(tmp, "basic");
  cpSync(join(root, "examples", "basic"), basic, { recursive: true });
  weft(basic, "graph", "-o", join(docs, "dag-basic.svg"));
  weft(basic, "graph", "-o", join(docs, "dag-basic.html"));

  const fixture = JSON.parse(readFileSync(new URL("./feature-login.json", import.meta.url), "utf8"));
  const repo = join(tmp, "feature-login");
  mkdirSync(join(repo, "tasks", "feature-login"), { recursive: true });
  mkdirSync(join(repo, "capabilities"), { recursive: true });
  mkdirSync(join(repo, ".state"), { recursive: true });
  for (const t of fixture.tasks) {
    const def = {
      schema_version: "2.0.0",
      workstream_id: "feature-login",
      status: "pending",
      blocks: [],
      ...t,
    };
    writeFileSync(join(repo, "tasks", "feature-login", `${t.task_id}.json`), JSON.stringify(def, null, 2));
  }
  writeFileSync(join(repo, "capabilities", "resources.json"), JSON.stringify(fixture.resources, null, 2));
  writeFileSync(
    join(repo, "weft.config.json"),
    JSON.stringify({ schema_version: "1.0.0", workers: { count: 2 } }),
  );
  const snapshot = {
    schema_version: "1.0.0",
    timestamp: "2026-01-31T12:00:00.000Z",
    seq: 12,
    tasks: Object.entries(fixture.statuses).map(([task_id, status]) => ({
      task_id,
      workstream_id: "feature-login",
      status,
    })),
  };
  writeFileSync(join(repo, ".state", "current.json"), JSON.stringify(snapshot));
  for (const ext of ["svg", "html", "mmd", "dot"])
    weft(repo, "graph", "-o", join(docs, `dag-feature-login.${ext}`));

  const big = join(tmp, "big");
  await writeWeftRepo(big, generateLayeredDag(10_000, { width: 50, seed: 3 }), { command: "node -e 0" });
  weft(big, "graph", "--format", "svg", "-o", join(docs, "dag-summary-10000.svg"));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
