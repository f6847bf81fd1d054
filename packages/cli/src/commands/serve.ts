import { join } from "node:path";
import { isWeftError, WeftError } from "@weft/core-schema";
import { createDashboardServer, DEFAULT_DASHBOARD_PORT, isLoopbackHost } from "@weft/observability";
import { statePaths } from "@weft/state-store";
import type { CommandSpec } from "../command-spec.js";
import { flagNumber, flagString } from "../parse-args.js";
import { loadMetricsConfig } from "./metrics.js";

/**
 * `weft serve [--port 7420] [--host 127.0.0.1] [--token <t>]` (OBS-002, DESIGN §7/§8): the live dashboard and
 * `/metrics`, until SIGINT. Read-only: never executes anything, never writes `.state`.
 */
export const serveCommand: CommandSpec = {
  name: "serve",
  summary: "live dashboard (DAG with live status colors, event stream) and Prometheus /metrics",
  usage: ["serve [--port <n>] [--host 127.0.0.1] [--token <t>]"],
  flags: [
    {
      name: "port",
      type: "number",
      value: "<n>",
      description: `port, 0–65535 (0 picks a free one; default ${DEFAULT_DASHBOARD_PORT})`,
    },
    {
      name: "host",
      type: "string",
      value: "<addr>",
      description: "address to bind (default 127.0.0.1, this machine only)",
    },
    {
      name: "token",
      type: "string",
      value: "<t>",
      description:
        "require this token (Authorization: Bearer <t> or ?token=<t>); required off loopback. Env: WEFT_SERVE_TOKEN",
    },
  ],
  details:
    "Routes: / (dashboard), /events (Server-Sent Events), /api/state, /api/dag, /api/metrics, /metrics (Prometheus).\n" +
    "Binding anything but a loopback address needs --token (or WEFT_SERVE_TOKEN). Stop with Ctrl-C.\n" +
    "Exit codes: 0 stopped, 2 bad usage (bad port, port in use, non-loopback host without a token).",
  async run(args, ctx) {
    const port = flagNumber(args, "port") ?? DEFAULT_DASHBOARD_PORT;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new WeftError("CLI_USAGE", `--port ${port} is not a port number`, {
        hint: "use 0–65535 (0 picks a free port)",
      });
    }
    const host = flagString(args, "host") ?? "127.0.0.1";
    const token = flagString(args, "token") ?? ctx.io.env.WEFT_SERVE_TOKEN;
    if (token !== undefined && token.trim() === "") {
      throw new WeftError("CLI_USAGE", "--token is empty", {
        hint: 'pass a secret, e.g. --token "$(openssl rand -hex 16)"',
      });
    }
    if (!isLoopbackHost(host) && token === undefined) {
      throw new WeftError(
        "CLI_USAGE",
        `refusing to serve on ${host} without a token: anyone who can reach it would see the run`,
        { hint: "add --token <secret> (or set WEFT_SERVE_TOKEN), or keep the default --host 127.0.0.1" },
      );
    }
    const config = loadMetricsConfig(ctx.cwd);
    const paths = statePaths(join(ctx.cwd, ".state"));
    let server: Awaited<ReturnType<typeof createDashboardServer>>;
    try {
      server = await createDashboardServer({
        files: { current: paths.current, log: paths.log },
        host,
        port,
        token,
        prefix: config.metrics.prefix,
        clock: ctx.io.now,
        logger: ctx.services.logger,
        signal: ctx.io.signal,
      });
    } catch (e) {
      if (isWeftError(e) && (e.code === "OBS_SERVE_LISTEN_FAILED" || e.code === "OBS_SERVE_TOKEN_REQUIRED")) {
        throw new WeftError("CLI_USAGE", e.message, {
          ...(e.hint ? { hint: e.hint } : {}),
          details: e.details,
          cause: e,
        });
      }
      throw e;
    }
    // Scripts (`--port 0`) learn the address from one JSON line on stdout.
    if (ctx.json)
      ctx.io.stdout(`${JSON.stringify({ listening: server.url, metrics: `${server.url}metrics` })}\n`);
    const auth = token === undefined ? "" : " (append ?token=<your token> in a browser)";
    ctx.io.stderr(`weft serve: dashboard at ${server.url}${auth}\n`);
    ctx.io.stderr(`weft serve: Prometheus metrics at ${server.url}metrics — Ctrl-C stops\n`);
    await server.closed;
    ctx.io.stderr("weft serve: stopped\n");
    return { exitCode: 0 };
  },
};
