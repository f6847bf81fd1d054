import { extname, resolve } from "node:path";
import { WeftError } from "@weft/core-schema";
import { createGraphView, type GraphView, renderDot, renderHtml, renderMermaid, renderSvg } from "@weft/dag";
import type { CommandSpec } from "../command-spec.js";
import { writeFileAtomic } from "../internal/atomic-write.js";
import { flagList, flagNumber, flagString } from "../parse-args.js";
import { loadPlanInputs, localOffers, planRepo, resolveWorkers, selectWorkstreams } from "./plan.js";

const FORMATS = ["svg", "html", "mermaid", "dot"] as const;
type Format = (typeof FORMATS)[number];
const BY_EXTENSION: Record<string, Format> = {
  ".svg": "svg",
  ".html": "html",
  ".htm": "html",
  ".mmd": "mermaid",
  ".mermaid": "mermaid",
  ".dot": "dot",
  ".gv": "dot",
};
/** Mermaid refuses diagrams with more than 500 edges by default (its `maxEdges`). */
const MERMAID_MAX_EDGES = 500;

/**
 * `weft graph` (DESIGN §2): draws the DAG of each (selected) workstream — dagre layout, nodes colored by their
 * current status (from `.state` when present), the critical path in red. SVG and HTML are drawn by weft (HTML: one
 * self-contained file with a legend); Mermaid and DOT are text for their own tools. Above the size limit a
 * workstream is drawn as one box per stage, and weft says so on stderr.
 */
export const graphCommand: CommandSpec = {
  name: "graph",
  summary: "draw the task DAG (svg, html, mermaid or dot), colored by status, critical path highlighted",
  usage: ["graph [--workstream <ws>]… --format svg|html|mermaid|dot [-o <file>] [--max-nodes N]"],
  flags: [
    {
      name: "workstream",
      type: "list",
      value: "<ws>",
      description: "draw only this workstream (repeatable)",
    },
    {
      name: "format",
      type: "string",
      value: "<fmt>",
      description: "svg, html, mermaid or dot (default: from -o's extension)",
    },
    {
      name: "output",
      short: "o",
      type: "string",
      value: "<file>",
      description: "write to this file instead of stdout",
    },
    {
      name: "workers",
      type: "number",
      value: "<n>",
      description: "workers for the estimate shown in the title",
    },
    {
      name: "max-nodes",
      type: "number",
      value: "<n>",
      description: "draw every task up to this many (default 300); above it, one box per stage",
    },
  ],
  details:
    "Executes nothing from the repo. Exit 0 when the picture was written (a cycle is drawn and named).",
  async run(args, ctx) {
    const output = flagString(args, "output");
    const format = (flagString(args, "format") ??
      (output ? BY_EXTENSION[extname(output).toLowerCase()] : undefined)) as Format | undefined;
    if (!format || !FORMATS.includes(format)) {
      throw new WeftError("CLI_USAGE", format ? `unknown format ${format}` : "--format is required", {
        hint: "use --format svg, html, mermaid or dot (or -o with a .svg/.html/.mmd/.dot file)",
      });
    }
    const maxNodes = flagNumber(args, "max-nodes");
    if (maxNodes !== undefined && (!Number.isInteger(maxNodes) || maxNodes < 0)) {
      throw new WeftError("CLI_USAGE", `--max-nodes must be a non-negative integer, not ${maxNodes}`);
    }
    const inputs = await loadPlanInputs(ctx.cwd);
    const result = planRepo(inputs, {
      workers: resolveWorkers(flagNumber(args, "workers"), inputs.repo),
      generatedAt: ctx.io.now().toISOString(),
      offers: localOffers(inputs.repo, ctx.io.env),
      documents: false,
    });
    const only = selectWorkstreams(flagList(args, "workstream"), result);
    const views: GraphView[] = result.workstreams
      .filter((w) => !only || only.has(w.workstreamId))
      .map((w) =>
        createGraphView(w, {
          statusOf: inputs.statusOf,
          maxNodes,
          maxLayoutCost: maxNodes === undefined ? undefined : Number.POSITIVE_INFINITY,
          maxEdges: format === "mermaid" ? MERMAID_MAX_EDGES : undefined,
        }),
      );
    for (const v of views) if (v.summary) ctx.io.stderr(`weft: ${v.workstreamId}: ${v.note}\n`);
    const picture =
      format === "svg"
        ? renderSvg(views)
        : format === "html"
          ? renderHtml(views)
          : format === "mermaid"
            ? renderMermaid(views)
            : renderDot(views);
    const data = {
      format,
      file: output ?? null,
      workstreams: views.map((v) => ({
        workstream_id: v.workstreamId,
        tasks: v.taskCount,
        summary: v.summary,
        note: v.note ?? null,
      })),
    };
    if (output) {
      writeFileAtomic(resolve(ctx.cwd, output), picture);
      return {
        exitCode: 0,
        data,
        render: () =>
          `wrote ${output} (${format}, ${views.length} workstream${views.length === 1 ? "" : "s"})\n`,
      };
    }
    return { exitCode: 0, data: { ...data, content: picture }, render: () => picture };
  },
};
