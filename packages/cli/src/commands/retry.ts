import { join } from "node:path";
import { WeftError } from "@weft/core-schema";
import { applyManualRetry } from "@weft/scheduler";
import { openStateStore } from "@weft/state-store";
import type { CommandSpec } from "../command-spec.js";
import { renderEventLine } from "./run.js";

/** The person behind a manual override (`user:<name>`, STATE-OBS-004 actor). */
export function actorOf(env: Readonly<Record<string, string | undefined>>): string {
  const name = env.WEFT_USER ?? env.USER ?? env.USERNAME ?? env.LOGNAME ?? "unknown";
  return `user:${name.replace(/\s+/g, "_") || "unknown"}`;
}

/** `weft retry <task_id>` — a new attempt of a failed/cancelled task, logged as manual_override (SPEC §4). */
export const retryCommand: CommandSpec = {
  name: "retry",
  summary:
    "give a failed or cancelled task a new attempt (logged as manual_override); `weft run` executes it",
  usage: ["retry <task_id> [--json]"],
  flags: [],
  details:
    "Blocked dependents become pending again and a failed workstream resumes. Run `weft run` afterwards.",
  async run(args, ctx) {
    const id = args.positionals[0];
    if (id === undefined)
      throw new WeftError("CLI_USAGE", "weft retry needs a task id", { hint: "weft retry <task_id>" });
    const { store } = await openStateStore({
      stateDir: join(ctx.cwd, ".state"),
      logger: ctx.services.logger,
    });
    try {
      const lines = applyManualRetry(store, id, actorOf(ctx.io.env));
      await store.flush();
      return {
        exitCode: 0,
        data: { retried: id, events: lines },
        render: () => [...lines.map(renderEventLine), `next: weft run (to execute ${id})`].join("\n"),
      };
    } finally {
      await store.close();
    }
  },
};
