import type { CommandEntry } from "../command-spec.js";

/**
 * Every built-in command, in the order `weft --help` lists them. Each command module is loaded only when it runs
 * (so `weft status` does not pay for loading the engine). To add one: write `commands/<name>.ts` exporting
 * `<name>Command: CommandSpec` and add an entry here; a test checks the summaries match the modules.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "init",
    summary:
      "create the weft layout (tasks/, capabilities/, .state/, weft.config.json); --example adds a runnable sample",
    load: async () => (await import("./init.js")).initCommand,
  },
  {
    name: "validate",
    summary: "check the repo against the requirement IDs (never executes anything)",
    load: async () => (await import("./validate.js")).validateCommand,
  },
  {
    name: "migrate",
    summary: "migrate task definitions between schema versions (backup, dry run, restore)",
    load: async () => (await import("./migrate.js")).migrateCommand,
  },
  {
    name: "plan",
    summary:
      "write each workstream's DAG and execution plan; print stages, critical path, estimates and problems",
    load: async () => (await import("./plan.js")).planCommand,
  },
  {
    name: "graph",
    summary: "draw the task DAG (svg, html, mermaid or dot), colored by status, critical path highlighted",
    load: async () => (await import("./graph.js")).graphCommand,
  },
  {
    name: "run",
    summary:
      "execute the tasks: workstreams in parallel, each in its own worktree, merged on success; resumes after a crash",
    load: async () => (await import("./run.js")).runCommand,
  },
  {
    name: "retry",
    summary:
      "give a failed or cancelled task a new attempt (logged as manual_override); `weft run` executes it",
    load: async () => (await import("./retry.js")).retryCommand,
  },
  {
    name: "cancel",
    summary: "cancel a task or a workstream (logged as manual_override)",
    load: async () => (await import("./cancel.js")).cancelCommand,
  },
  {
    name: "status",
    summary: "show the current state (reads .state only)",
    load: async () => (await import("./status.js")).statusCommand,
  },
  {
    name: "events",
    summary: "query the event log (archives included); --follow for live events",
    load: async () => (await import("./events.js")).eventsCommand,
  },
  {
    name: "replay",
    summary: "show the state as it was at a past moment (from the log, archives included)",
    load: async () => (await import("./replay.js")).replayCommand,
  },
  {
    name: "explain",
    summary: "why a task is where it is: attempts, errors, gate results, log tail",
    load: async () => (await import("./explain.js")).explainCommand,
  },
  {
    name: "audit",
    summary:
      "rotate the event log to the archive, verify the history, restore a segment, build compliance reports",
    load: async () => (await import("./audit.js")).auditCommand,
  },
  {
    name: "metrics",
    summary: "current metrics from .state (JSON or Prometheus text)",
    load: async () => (await import("./metrics.js")).metricsCommand,
  },
  {
    name: "serve",
    summary: "live dashboard (DAG with live status colors, event stream) and Prometheus /metrics",
    load: async () => (await import("./serve.js")).serveCommand,
  },
  {
    name: "version",
    summary: "print weft's version",
    load: async () => (await import("./version.js")).versionCommand,
  },
];
