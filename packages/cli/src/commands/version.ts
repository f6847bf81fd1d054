import type { CommandSpec } from "../command-spec.js";

/** `weft version` — the example command: returns data, renders text. */
export const versionCommand: CommandSpec = {
  name: "version",
  summary: "print weft's version",
  usage: ["version [--json]"],
  flags: [],
  async run(_args, ctx) {
    const data = { version: ctx.services.version, node: ctx.io.env.WEFT_NODE_VERSION ?? null };
    return { exitCode: 0, data, render: () => ctx.services.version };
  },
};
