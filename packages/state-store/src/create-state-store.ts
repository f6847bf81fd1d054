import { appendFileSync, mkdirSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import {
  applyEvent,
  EVENT_SCHEMA_VERSION,
  type EventDraft,
  type EventLine,
  type Logger,
  type StateModel,
  type StateStorePort,
  silentLogger,
  WeftError,
} from "@weft/core-schema";
import type { HeldLock } from "./acquire-lock.js";
import { appendLog, hashLine } from "./append-log.js";
import { computeIndices, stateLikeOfModel } from "./compute-indices.js";
import { nodeCrypto } from "./internal/lazy-builtins.js";
import { normalizeDraft } from "./internal/normalize-draft.js";
import { SnapshotSerializer } from "./internal/snapshot-serializer.js";
import { type StatePaths, taskLogPath } from "./state-paths.js";
import { type IndexTexts, serializeIndices, writeIndices } from "./write-indices.js";
import { writeSnapshot } from "./write-snapshot.js";

/** The `state` section of weft.config.json the store uses. */
export interface StateStoreSettings {
  /** STATE-OBS-003 group-commit window (ms, ≤ 250). Default 100. */
  readonly group_commit_ms: number;
  /** AUDIT-001: add `prev_hash` to every line. Default true. */
  readonly hash_chain: boolean;
  /** Events kept in `current.json` `recent_events` (at least every event of the batch). Default 200. */
  readonly recent_events_max: number;
}

export const DEFAULT_STATE_SETTINGS: StateStoreSettings = {
  group_commit_ms: 100,
  hash_chain: true,
  recent_events_max: 200,
};

/** Observation hooks (experimental; used by the benchmark and tests). Called after each durable step. */
export interface StateStoreHooks {
  /** `current.json` containing every event up to `seq` was renamed into place at `atMs` (performance.now()). */
  readonly onSnapshot?: (seq: number, atMs: number) => void;
  /** Events up to `seq` are in the log and fdatasync'ed. */
  readonly onDurable?: (seq: number) => void;
  /** Per batch: events, and milliseconds spent serializing (sync), writing the snapshot and appending the log. */
  readonly onBatch?: (info: BatchTimings) => void;
}

/** What one group commit cost (the benchmark prints these). */
export interface BatchTimings {
  readonly seq: number;
  readonly events: number;
  readonly serialize_ms: number;
  readonly snapshot_ms: number;
  readonly log_ms: number;
}

/** What {@link StateStore}'s constructor needs; produced by `openStateStore` after recovery. */
export interface StateStoreInit {
  readonly paths: StatePaths;
  readonly model: StateModel;
  readonly logHandle: FileHandle;
  readonly lock: HeldLock;
  /** Exact text of the last line in the log (hash chain), null if the log is empty. */
  readonly lastLineText: string | null;
  /** The last lines of the log (seeds `recent_events`). */
  readonly recentTexts: readonly string[];
  readonly settings: StateStoreSettings;
  readonly logger?: Logger;
  readonly now?: () => Date;
  readonly hooks?: StateStoreHooks;
}

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * The single writer of a `.state` directory (implements {@link StateStorePort}). `commit()` applies events to the
 * model synchronously through the core reducer and schedules a group commit; each batch is written in the order
 * STATE-OBS-003 prescribes: snapshot tmp → fsync → rename → fsync dir → append to the log → fdatasync. Indices
 * (STATE-OBS-005/006) follow every snapshot.
 */
export class StateStore implements StateStorePort {
  readonly paths: StatePaths;
  private readonly _model: StateModel;
  private readonly logHandle: FileHandle;
  private readonly lock: HeldLock;
  private readonly settings: StateStoreSettings;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly hooks: StateStoreHooks;
  private readonly serializer: SnapshotSerializer;
  private lastLineText: string | null;
  private lastTimestamp: string;
  private recentTexts: string[];
  private pending: string[] = [];
  private firstPendingAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private forceSnapshot = false;
  private urgent = false;
  private durableSeq: number;
  private waiters: Waiter[] = [];
  private failure: WeftError | null = null;
  private closed = false;
  private logsDirReady = false;

  constructor(init: StateStoreInit) {
    this.paths = init.paths;
    this._model = init.model;
    this.logHandle = init.logHandle;
    this.lock = init.lock;
    this.settings = init.settings;
    this.logger = init.logger ?? silentLogger;
    this.now = init.now ?? (() => new Date());
    this.hooks = init.hooks ?? {};
    this.serializer = new SnapshotSerializer(init.model);
    this.lastLineText = init.lastLineText;
    this.lastTimestamp = init.model.timestamp;
    this.recentTexts = init.recentTexts.slice(-init.settings.recent_events_max);
    this.durableSeq = init.model.seq;
  }

  get model(): Readonly<StateModel> {
    return this._model;
  }

  /** The seq of the last event durable in both the snapshot and the log. */
  get durable(): number {
    return this.durableSeq;
  }

  /** Lock holder info of this writer. */
  get lockInfo(): HeldLock["info"] {
    return this.lock.info;
  }

  private nextTimestamp(): string {
    // Timestamps never go backwards in the log (replay --at relies on it), even if the wall clock does.
    const t = this.now().toISOString();
    if (t > this.lastTimestamp) this.lastTimestamp = t;
    return this.lastTimestamp;
  }

  commit(drafts: readonly EventDraft[]): readonly EventLine[] {
    if (this.closed) throw new Error("state store is closed");
    if (this.failure !== null) throw this.failure;
    const parsed = drafts.map(normalizeDraft);
    const out: EventLine[] = [];
    for (const d of parsed) {
      const seq = this._model.seq + 1;
      const line: Record<string, unknown> = {
        schema_version: EVENT_SCHEMA_VERSION,
        seq,
        event_id: nodeCrypto().randomUUID(),
        timestamp: this.nextTimestamp(),
        ...d,
      };
      if (this.settings.hash_chain && this.lastLineText !== null)
        line.prev_hash = hashLine(this.lastLineText);
      const text = JSON.stringify(line);
      // Apply what the log will hold (the JSON round trip), so the model equals a replay by construction.
      const event = JSON.parse(text) as EventLine;
      this.serializer.markChanged(applyEvent(this._model, event));
      this.lastLineText = text;
      if (this.pending.length === 0) this.firstPendingAt = performance.now();
      this.pending.push(text);
      this.recentTexts.push(text);
      out.push(event);
    }
    this.schedule();
    return out;
  }

  private schedule(): void {
    if (this.timer !== null || this.writing !== null) return;
    if (this.pending.length === 0 && !this.forceSnapshot) return;
    const waited = performance.now() - this.firstPendingAt;
    const delay = this.urgent ? 0 : Math.max(0, this.settings.group_commit_ms - waited);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runBatch();
    }, delay);
  }

  private runBatch(): void {
    if (this.writing !== null) return;
    const batch = this.pending;
    if (batch.length === 0 && !this.forceSnapshot) return;
    this.pending = [];
    this.forceSnapshot = false;
    this.urgent = false;
    const t0 = performance.now();
    const keep = Math.max(this.settings.recent_events_max, batch.length);
    const recent = this.recentTexts.length > keep ? this.recentTexts.slice(-keep) : this.recentTexts;
    const snapshotText = this.serializer.build(this._model, recent);
    if (this.recentTexts.length > this.settings.recent_events_max) {
      this.recentTexts = this.recentTexts.slice(-this.settings.recent_events_max);
    }
    const indexTexts: IndexTexts = serializeIndices(
      computeIndices(stateLikeOfModel(this._model), this.now().toISOString()),
    );
    const seq = this._model.seq;
    const serializeMs = performance.now() - t0;
    this.writing = this.writeBatch(batch, snapshotText, indexTexts, seq, serializeMs)
      .catch((e: unknown) => this.fail(e))
      .finally(() => {
        this.writing = null;
        this.schedule();
      });
  }

  private async writeBatch(
    batch: string[],
    snapshotText: readonly Buffer[],
    indexTexts: IndexTexts,
    seq: number,
    serializeMs: number,
  ) {
    const t0 = performance.now();
    await writeSnapshot(this.paths, snapshotText);
    const t1 = performance.now();
    this.hooks.onSnapshot?.(seq, t1);
    await appendLog(this.logHandle, batch);
    this.hooks.onBatch?.({
      seq,
      events: batch.length,
      serialize_ms: serializeMs,
      snapshot_ms: t1 - t0,
      log_ms: performance.now() - t1,
    });
    this.durableSeq = seq;
    this.hooks.onDurable?.(seq);
    if (this.waiters.length > 0) {
      const still: Waiter[] = [];
      for (const w of this.waiters) {
        if (w.seq <= seq) w.resolve();
        else still.push(w);
      }
      this.waiters = still;
    }
    writeIndices(this.paths, indexTexts);
  }

  private fail(e: unknown): void {
    const err = new WeftError("STATE_IO", `writing ${this.paths.dir} failed: ${(e as Error).message}`, {
      hint: "check disk space and permissions; the log holds every event acknowledged so far",
      cause: e,
      details: { dir: this.paths.dir },
    });
    this.failure = err;
    this.logger.error({ err: (e as Error).message, dir: this.paths.dir }, "state write failed");
    for (const w of this.waiters) w.reject(err);
    this.waiters = [];
  }

  /** Writes a snapshot (and indices) now even without new events (used after recovery). */
  async writeSnapshotNow(): Promise<void> {
    this.forceSnapshot = true;
    await this.idle();
  }

  flush(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const target = this._model.seq;
    if (this.durableSeq >= target) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ seq: target, resolve, reject });
      this.urgent = true;
      if (this.timer !== null) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      this.schedule();
    });
  }

  /** Resolves when no batch is pending or being written. */
  private async idle(): Promise<void> {
    for (;;) {
      if (this.failure !== null) throw this.failure;
      if (this.writing !== null) {
        await this.writing;
        continue;
      }
      if (this.timer !== null || this.pending.length > 0 || this.forceSnapshot) {
        this.urgent = true;
        if (this.timer !== null) clearTimeout(this.timer);
        this.timer = null;
        this.runBatch();
        continue;
      }
      return;
    }
  }

  /**
   * Appends synchronously (page cache, no fsync): a few tens of microseconds, in order with everything else written
   * to the file — including a command's output that the spawn launcher sends straight to {@link taskLogFile}.
   */
  appendTaskLog(taskId: string, text: string): void {
    const file = taskLogPath(this.paths, taskId); // an invalid id throws (ID_INVALID): a caller bug, not an I/O problem
    try {
      if (!this.logsDirReady) {
        mkdirSync(this.paths.logsDir, { recursive: true });
        this.logsDirReady = true;
      }
      appendFileSync(file, text);
    } catch (e) {
      this.logger.warn({ taskId, err: (e as Error).message }, "task log append failed");
    }
  }

  /** The task log's path (`.state/logs/{task_id}.log`), for writers outside this process (StateStorePort). */
  taskLogFile(taskId: string): string {
    return taskLogPath(this.paths, taskId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.idle();
    } finally {
      this.closed = true;
      await this.logHandle.close();
      this.lock.release();
    }
  }
}
