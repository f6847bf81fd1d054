import { join } from "node:path";
import { WeftError } from "@weft/core-schema";
import { applyManualCancel } from "@weft/scheduler";
import { openStateStore } from "@weft/state-store";
import type { CommandSpec } from "../command-spec.js";
import { actorOf } from "./retry.js";
import { renderEventLine } from "./run.js";

/** `weft cancel <task_id|ws>` — cancels a task or a whole workstream, logged as manual_override (SPEC §4–§5). */
export const cancelCommand: CommandSpec = {
  name: "cancel",
  summary: "cancel a task or a workstream (logged as manual_override)",
  usage: ["cancel <task_id|workstream_id> [--json]"],
  flags: [],
  details:
    "Pending dependents of a cancelled task become blocked. While `weft run` holds the state lock, stop it first (Ctrl-C).",
  async run(args, ctx) {
    const id = args.positionals[0];
    if (id === undefined)
      throw new WeftError("CLI_USAGE", "weft cancel needs a task or workstream id", {
        hint: "weft cancel <id>",
      });
    const { store } = await openStateStore({
      stateDir: join(ctx.cwd, ".state"),
      logger: ctx.services.logger,
    });
    try {
      const lines = applyManualCancel(store, id, actorOf(ctx.io.env));
      await store.flush();
      return {
        exitCode: 0,
        data: { cancelled: id, events: lines },
        render: () =>
          lines.length === 0
            ? `${id} is already finished; nothing to cancel`
            : lines.map(renderEventLine).join("\n"),
      };
    } finally {
      await store.close();
    }
  },
};
