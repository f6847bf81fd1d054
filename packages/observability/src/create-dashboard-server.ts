import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CurrentState,
  type Logger,
  type MetricsDocument,
  modelFromSnapshot,
  silentLogger,
  WeftError,
} from "@weft/core-schema";
import type { Layout } from "@weft/dag";
import { computeMetrics } from "./compute-metrics.js";
import { createLogFollower } from "./create-log-follower.js";
import { isLoopbackHost } from "./is-loopback-host.js";
import { renderDashboardHtml, renderWorkstreamsHtml } from "./render-dashboard-html.js";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "./render-prometheus.js";
import { renderWorkstreamGraphs } from "./render-workstream-graphs.js";
import { type PublicEvent, toPublicEvent } from "./to-public-event.js";

/** The `.state` files the dashboard reads (built by the caller from @weft/state-store's `statePaths`). */
export interface DashboardFiles {
  /** `.state/current.json` (STATE-OBS-001) */
  readonly current: string;
  /** `.state/transitions.jsonl` (STATE-OBS-002) */
  readonly log: string;
}

export interface DashboardServerOptions {
  readonly files: DashboardFiles;
  /** Default `127.0.0.1`. A host other than loopback requires `token` (DESIGN §7). */
  readonly host?: string | undefined;
  /** 0–65535; 0 picks a free port. Default 7420. */
  readonly port?: number | undefined;
  /** When set, every request needs `Authorization: Bearer <token>` or `?token=<token>`. */
  readonly token?: string | undefined;
  /** Metric name prefix for `/metrics` (`metrics.prefix`, default `weft_`). */
  readonly prefix?: string | undefined;
  readonly clock?: (() => Date) | undefined;
  readonly logger?: Logger | undefined;
  /** Aborting it closes the server and every open event stream. */
  readonly signal?: AbortSignal | undefined;
  /** How often the log is polled for new lines (default 250 ms). */
  readonly pollIntervalMs?: number | undefined;
}

export interface DashboardServer {
  /** `http://host:port/` (with the real port when 0 was asked for). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting, ends event streams and closes the server. Idempotent. */
  close(): Promise<void>;
  /** Resolves when the server has closed (after `close()` or the signal). */
  readonly closed: Promise<void>;
}

export const DEFAULT_DASHBOARD_PORT = 7420;
const BACKLOG = 500;
const MAX_ERROR_EVENTS = 100_000;
const HEARTBEAT_MS = 15_000;
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

function emptySnapshot(now: Date): CurrentState {
  return {
    schema_version: "1.0.0",
    timestamp: now.toISOString(),
    seq: 0,
    run: null,
    workstreams: [],
    tasks: [],
    workers: [],
    resources: [],
    recent_events: [],
  };
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

function hostOnly(hostHeader: string): string {
  const h = hostHeader.trim();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const i = h.lastIndexOf(":");
  return i === -1 ? h : h.slice(0, i);
}

/**
 * Starts the `weft serve` HTTP server (OBS-002, DESIGN §7/§8) on node:http. Read-only: it never executes anything
 * and never writes to `.state`.
 *
 * Routes (GET/HEAD only): `/` the dashboard page; `/api/state` `current.json` as is; `/api/dag` the workstream
 * pictures as an HTML fragment + seq; `/api/metrics` the metrics document (JSON); `/metrics` Prometheus text
 * (`text/plain; version=0.0.4`); `/events` Server-Sent Events, one `data:` line per new log line, reduced to the
 * event's public fields (`toPublicEvent`), `id:` = seq; `?backlog=N` first replays up to N recent events and
 * `Last-Event-ID` resumes after a seq.
 *
 * Security: binds 127.0.0.1 by default; a non-loopback host without a token is refused (`OBS_SERVE_TOKEN_REQUIRED`);
 * without a token, requests whose `Host` header is not a loopback name are refused (DNS rebinding); with a token,
 * every request must carry it (compared in constant time). Responses carry a CSP that allows no external address.
 */
export async function createDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? DEFAULT_DASHBOARD_PORT;
  const token = options.token;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const pollMs = options.pollIntervalMs ?? 250;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new WeftError("OBS_SERVE_LISTEN_FAILED", `port ${port} is not between 0 and 65535`, {
      hint: "pass --port with a number from 0 to 65535 (0 picks a free port)",
    });
  }
  if (token !== undefined && token.length === 0) {
    throw new WeftError("OBS_SERVE_TOKEN_REQUIRED", "the dashboard token is empty", {
      hint: "pass a non-empty --token, e.g. one from `openssl rand -hex 16`",
    });
  }
  if (!isLoopbackHost(host) && token === undefined) {
    throw new WeftError(
      "OBS_SERVE_TOKEN_REQUIRED",
      `refusing to serve the dashboard on ${host} without a token: only loopback addresses are served openly`,
      {
        hint: "add --token <secret> (clients send Authorization: Bearer <secret>), or bind --host 127.0.0.1",
      },
    );
  }
  const tokenDigest = token === undefined ? undefined : digest(token);

  // The log follower: a ring of recent public events for new streams, error events for /metrics.
  const follower = createLogFollower(options.files.log);
  const backlog: PublicEvent[] = [];
  const errorEvents: { timestamp: string; event: string }[] = [];
  const clients = new Set<{ res: ServerResponse; heartbeat: NodeJS.Timeout }>();
  let lastSeq = 0;
  let layoutCache = new Map<string, Layout>();

  const send = (res: ServerResponse, e: PublicEvent): void => {
    // A client that stopped reading is dropped rather than buffered without bound; EventSource reconnects.
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return;
    }
    res.write(`id: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`);
  };

  const poll = async (): Promise<void> => {
    const lines = await follower.read();
    for (const line of lines) {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        logger.warn({ file: options.files.log }, "skipped an unparsable log line");
        continue;
      }
      const e = toPublicEvent(raw);
      if (!e) continue;
      if (e.seq === 1 && lastSeq > 1) {
        // A new .state (deleted and started over): forget the old history.
        lastSeq = 0;
        backlog.length = 0;
        errorEvents.length = 0;
      }
      if (e.seq <= lastSeq) continue;
      lastSeq = e.seq;
      backlog.push(e);
      if (backlog.length > BACKLOG) backlog.shift();
      if (e.severity !== "info") {
        errorEvents.push({ timestamp: e.timestamp, event: e.event });
        if (errorEvents.length > MAX_ERROR_EVENTS) errorEvents.shift();
      }
      for (const c of clients) send(c.res, e);
    }
  };

  let polling: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = (): void => {
    polling = poll()
      .catch((error: unknown) =>
        logger.warn({ err: (error as Error).message }, "reading the event log failed"),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  await poll().catch((error: unknown) =>
    logger.warn({ err: (error as Error).message }, "reading the event log failed"),
  );

  const loadSnapshot = async (): Promise<{ snapshot: CurrentState; text: string | undefined }> => {
    try {
      const text = await readFile(options.files.current, "utf8");
      const raw = JSON.parse(text) as Partial<CurrentState> | null;
      if (typeof raw !== "object" || raw === null || !Array.isArray(raw.tasks)) {
        throw new Error("not a current.json document");
      }
      const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
      const snapshot: CurrentState = {
        ...emptySnapshot(clock()),
        ...raw,
        seq: typeof raw.seq === "number" ? raw.seq : 0,
        run: raw.run ?? null,
        workstreams: list(raw.workstreams),
        tasks: raw.tasks,
        workers: list(raw.workers),
        resources: list(raw.resources),
      };
      return { snapshot, text };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
        logger.warn({ file: options.files.current, err: (e as Error).message }, "current.json unreadable");
      }
      return { snapshot: emptySnapshot(clock()), text: undefined };
    }
  };

  const metricsOf = (snapshot: CurrentState): MetricsDocument => {
    const since = snapshot.run?.started_at ?? "";
    const errors: Record<string, number> = {};
    for (const e of errorEvents) if (e.timestamp >= since) errors[e.event] = (errors[e.event] ?? 0) + 1;
    return computeMetrics(modelFromSnapshot(snapshot), { errors }, clock());
  };

  const graphsOf = (snapshot: CurrentState) => {
    if (layoutCache.size > 200) layoutCache = new Map();
    return renderWorkstreamGraphs(
      { workstreams: snapshot.workstreams, tasks: snapshot.tasks },
      { cache: layoutCache },
    );
  };

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    if (tokenDigest === undefined) {
      // No token: loopback only. Refuse other Host names so a web page cannot reach us by DNS rebinding.
      const h = req.headers.host;
      return h === undefined || isLoopbackHost(hostOnly(h));
    }
    const auth = req.headers.authorization;
    const given = auth?.startsWith("Bearer ")
      ? auth.slice(7).trim()
      : (url.searchParams.get("token") ?? undefined);
    return given !== undefined && timingSafeEqual(digest(given), tokenDigest);
  };

  const headers = (type: string, extra: Record<string, string> = {}): Record<string, string> => ({
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    ...extra,
  });

  const reply = (
    res: ServerResponse,
    status: number,
    type: string,
    body: string,
    extra?: Record<string, string>,
  ) => {
    res.writeHead(status, headers(type, extra));
    res.end(res.req.method === "HEAD" ? undefined : body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET" && req.method !== "HEAD") {
      return reply(res, 405, "text/plain; charset=utf-8", "method not allowed\n", { allow: "GET, HEAD" });
    }
    if (!authorized(req, url)) {
      return reply(res, 401, "text/plain; charset=utf-8", "unauthorized: pass the dashboard token\n", {
        "www-authenticate": 'Bearer realm="weft"',
      });
    }
    switch (url.pathname) {
      case "/": {
        const { snapshot } = await loadSnapshot();
        const nonce = randomBytes(16).toString("base64");
        const html = renderDashboardHtml({
          nonce,
          graphs: graphsOf(snapshot),
          seq: snapshot.seq,
          metrics: metricsOf(snapshot),
          run: snapshot.run,
        });
        return reply(res, 200, "text/html; charset=utf-8", html, {
          "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        });
      }
      case "/api/state": {
        const { snapshot, text } = await loadSnapshot();
        return reply(res, 200, "application/json; charset=utf-8", text ?? `${JSON.stringify(snapshot)}\n`);
      }
      case "/api/dag": {
        const { snapshot } = await loadSnapshot();
        const body = { seq: snapshot.seq, html: renderWorkstreamsHtml(graphsOf(snapshot)) };
        return reply(res, 200, "application/json; charset=utf-8", JSON.stringify(body));
      }
      case "/api/metrics": {
        const { snapshot } = await loadSnapshot();
        const body = { metrics: metricsOf(snapshot), run: snapshot.run, seq: snapshot.seq };
        return reply(res, 200, "application/json; charset=utf-8", JSON.stringify(body));
      }
      case "/metrics": {
        const { snapshot } = await loadSnapshot();
        const text = renderPrometheus(metricsOf(snapshot), { prefix: options.prefix });
        return reply(res, 200, PROMETHEUS_CONTENT_TYPE, text);
      }
      case "/events": {
        res.writeHead(
          200,
          headers("text/event-stream; charset=utf-8", {
            connection: "keep-alive",
            "x-accel-buffering": "no",
          }),
        );
        if (req.method === "HEAD") return void res.end();
        res.write("retry: 2000\n\n");
        const lastId = Number(req.headers["last-event-id"]);
        const wanted = Math.max(0, Math.min(BACKLOG, Number(url.searchParams.get("backlog") ?? 0) || 0));
        const replay =
          Number.isFinite(lastId) && lastId > 0
            ? backlog.filter((e) => e.seq > lastId)
            : wanted > 0
              ? backlog.slice(-wanted)
              : [];
        for (const e of replay) send(res, e);
        const client = { res, heartbeat: setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS) };
        clients.add(client);
        req.on("close", () => {
          clearInterval(client.heartbeat);
          clients.delete(client);
        });
        return;
      }
      default:
        return reply(res, 404, "text/plain; charset=utf-8", "not found\n");
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Only the path: the query may carry the token.
      logger.error(
        { err: (error as Error).message, path: (req.url ?? "").split("?")[0] },
        "dashboard request failed",
      );
      if (!res.headersSent) reply(res, 500, "text/plain; charset=utf-8", "internal error\n");
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new WeftError("OBS_SERVE_LISTEN_FAILED", `cannot listen on ${host}:${port}: ${error.message}`, {
          hint:
            error.code === "EADDRINUSE"
              ? "another process uses this port: pass --port <n> (or --port 0 for a free one)"
              : "check --host and --port",
          details: { host, port, code: error.code },
          cause: error,
        }),
      );
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  timer = setTimeout(tick, pollMs);

  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    if (closing) return closing;
    stopped = true;
    if (timer) clearTimeout(timer);
    for (const c of clients) {
      clearInterval(c.heartbeat);
      c.res.end();
    }
    clients.clear();
    closing = (async () => {
      await polling.catch(() => {});
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      resolveClosed();
    })();
    return closing;
  };
  if (options.signal) {
    if (options.signal.aborted) await close();
    else options.signal.addEventListener("abort", () => void close(), { once: true });
  }
  logger.info({ host: address.address, port: address.port }, "dashboard listening");
  return {
    url: `http://${urlHost}:${address.port}/`,
    host: address.address,
    port: address.port,
    close,
    closed,
  };
}
