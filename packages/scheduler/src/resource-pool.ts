import { type ResourceEntry, type ResourceRequirement, refillPerSecond } from "@weft/core-schema";

/** How a holder holds a resource (CONC-REG-002). */
export type HoldMode = "exclusive" | "shared" | number;

/** One holder of a resource key (shown in current.json `resources[].holders`). */
export interface PoolHolder {
  readonly task_id: string;
  readonly mode: HoldMode;
}

/** Why an acquisition is not possible now. `retryAtMs` is set when waiting for rate-limit tokens will help. */
export type AcquireCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly keys: readonly string[];
      readonly retryAtMs?: number;
    };

interface Spec {
  readonly id: string;
  readonly type: ResourceEntry["Type"];
  readonly capacity: number;
  readonly refillPerMs: number;
  readonly conflicts: readonly string[];
  readonly scope: "global" | "workstream";
}

interface KeyState {
  readonly spec: Spec;
  readonly key: string;
  readonly holders: Map<string, HoldMode>;
  exclusive: number;
  units: number;
  tokens: number;
  lastRefillMs: number;
}

/** A snapshot of one resource key for current.json (SPEC §7: current holders, tokens left). */
export interface ResourceView {
  readonly key: string;
  readonly resource_id: string;
  readonly type: ResourceEntry["Type"];
  readonly capacity: number;
  readonly holders: readonly PoolHolder[];
  readonly tokens_left: number | null;
}

/**
 * The resource pool (CONC-REG-001/002, SPEC §7): exclusive, shared, pooled units and rate-limited token buckets with
 * refill from an injected clock, `ConflictsWith` (symmetric) and `Scope: workstream` (one instance per workstream).
 * A task acquires all its resources at once or none (no hold-and-wait), so tasks cannot deadlock each other.
 * Pure state + arithmetic: no timers, no I/O; the caller passes `nowMs`.
 */
export class ResourcePool {
  private readonly specs = new Map<string, Spec>();
  private readonly keys = new Map<string, KeyState>();
  private readonly held = new Map<string, { keys: string[]; modes: HoldMode[] }>();

  constructor(entries: readonly ResourceEntry[], nowMs: number) {
    const conflicts = new Map<string, Set<string>>();
    for (const e of entries) {
      for (const c of e.Metadata.ConflictsWith) {
        if (!conflicts.has(e.ResourceId)) conflicts.set(e.ResourceId, new Set());
        if (!conflicts.has(c)) conflicts.set(c, new Set());
        conflicts.get(e.ResourceId)!.add(c);
        conflicts.get(c)!.add(e.ResourceId);
      }
    }
    for (const e of entries) {
      this.specs.set(e.ResourceId, {
        id: e.ResourceId,
        type: e.Type,
        capacity: e.Type === "exclusive" ? 1 : e.MaxHolders === -1 ? Number.POSITIVE_INFINITY : e.MaxHolders,
        refillPerMs: e.Type === "rate_limited" && e.RefillRate ? refillPerSecond(e.RefillRate) / 1000 : 0,
        conflicts: [...(conflicts.get(e.ResourceId) ?? [])].filter((c) => c !== e.ResourceId).sort(),
        scope: e.Metadata.Scope,
      });
    }
    this.initialNow = nowMs;
  }

  private readonly initialNow: number;

  /** The key a requirement maps to: `id` for global resources, `id@ws` for `Scope: workstream`. */
  keyOf(resourceId: string, workstreamId: string): string {
    const spec = this.specs.get(resourceId);
    return spec?.scope === "workstream" ? `${resourceId}@${workstreamId}` : resourceId;
  }

  private state(resourceId: string, workstreamId: string): KeyState | undefined {
    const spec = this.specs.get(resourceId);
    if (!spec) return undefined;
    const key = this.keyOf(resourceId, workstreamId);
    let s = this.keys.get(key);
    if (!s) {
      s = {
        spec,
        key,
        holders: new Map(),
        exclusive: 0,
        units: 0,
        tokens: spec.type === "rate_limited" ? spec.capacity : 0,
        lastRefillMs: this.initialNow,
      };
      this.keys.set(key, s);
    }
    return s;
  }

  private refill(s: KeyState, nowMs: number): void {
    if (s.spec.type !== "rate_limited") return;
    if (nowMs > s.lastRefillMs) {
      s.tokens = Math.min(s.spec.capacity, s.tokens + (nowMs - s.lastRefillMs) * s.spec.refillPerMs);
      s.lastRefillMs = nowMs;
    }
  }

  /** The effective mode of a requirement on a resource type. */
  static modeOf(type: ResourceEntry["Type"], req: ResourceRequirement): HoldMode {
    if (req === "exclusive" || req === "shared") return req;
    if (type === "exclusive") return "exclusive";
    if (type === "shared") return "shared";
    return req;
  }

  /**
   * A request that can never be met, whatever else runs (reported at plan time, SPEC §7): unknown resource, more
   * units than MaxHolders, more tokens than the bucket holds.
   */
  unsatisfiable(reqs: Readonly<Record<string, ResourceRequirement>>): string | null {
    for (const [id, req] of Object.entries(reqs)) {
      const spec = this.specs.get(id);
      if (!spec) return `unknown resource '${id}'`;
      const mode = ResourcePool.modeOf(spec.type, req);
      if (typeof mode === "number" && mode > spec.capacity) {
        return `'${id}' asks for ${mode} units but MaxHolders is ${spec.capacity}`;
      }
    }
    return null;
  }

  /** Whether all of `reqs` could be acquired now (pure check; refills buckets up to `nowMs`). */
  check(
    workstreamId: string,
    reqs: Readonly<Record<string, ResourceRequirement>>,
    nowMs: number,
  ): AcquireCheck {
    let retryAtMs: number | undefined;
    const blocked: string[] = [];
    let reason = "";
    for (const [id, req] of Object.entries(reqs)) {
      const s = this.state(id, workstreamId);
      if (!s) return { ok: false, reason: `unknown resource '${id}'`, keys: [id] };
      this.refill(s, nowMs);
      const mode = ResourcePool.modeOf(s.spec.type, req);
      const why = this.blockReason(s, mode, workstreamId);
      if (why !== null) {
        blocked.push(s.key);
        reason ||= why;
        if (typeof mode === "number" && s.spec.type === "rate_limited" && why.startsWith("tokens")) {
          const wait = (mode - s.tokens) / s.spec.refillPerMs;
          const at = nowMs + Math.ceil(wait);
          retryAtMs = retryAtMs === undefined ? at : Math.max(retryAtMs, at);
        }
      }
    }
    if (blocked.length === 0) return { ok: true };
    return retryAtMs === undefined
      ? { ok: false, reason, keys: blocked }
      : { ok: false, reason, keys: blocked, retryAtMs };
  }

  private blockReason(s: KeyState, mode: HoldMode, ws: string): string | null {
    if (s.exclusive > 0) return `'${s.key}' is held exclusively`;
    for (const c of s.spec.conflicts) {
      const cs = this.state(c, ws);
      if (!cs) continue;
      if (cs.exclusive > 0) return `'${s.key}' conflicts with '${cs.key}', held exclusively`;
      if (mode === "exclusive" && cs.holders.size > 0)
        return `'${s.key}' conflicts with '${cs.key}', which is in use`;
    }
    if (mode === "exclusive") return s.holders.size > 0 ? `'${s.key}' is in use` : null;
    if (mode === "shared") {
      if (s.spec.type === "rate_limited") return s.tokens >= 1 ? null : `tokens exhausted on '${s.key}'`;
      if (s.spec.type === "pooled")
        return s.units + 1 <= s.spec.capacity ? null : `'${s.key}' has no free unit`;
      return s.holders.size < s.spec.capacity
        ? null
        : `'${s.key}' has ${s.holders.size} holders (max ${s.spec.capacity})`;
    }
    if (s.spec.type === "rate_limited")
      return s.tokens >= mode ? null : `tokens exhausted on '${s.key}' (${Math.floor(s.tokens)} < ${mode})`;
    return s.units + mode <= s.spec.capacity
      ? null
      : `'${s.key}' has ${s.spec.capacity - s.units} free units, ${mode} needed`;
  }

  /** Acquires all of `reqs` for `taskId` or nothing (SPEC §7 decision). Returns the check result. */
  acquire(
    taskId: string,
    workstreamId: string,
    reqs: Readonly<Record<string, ResourceRequirement>>,
    nowMs: number,
  ): AcquireCheck {
    if (this.held.has(taskId)) throw new Error(`task '${taskId}' already holds resources`);
    const check = this.check(workstreamId, reqs, nowMs);
    if (!check.ok) return check;
    const keys: string[] = [];
    const modes: HoldMode[] = [];
    for (const [id, req] of Object.entries(reqs)) {
      const s = this.state(id, workstreamId)!;
      const mode = ResourcePool.modeOf(s.spec.type, req);
      s.holders.set(taskId, mode);
      if (mode === "exclusive") s.exclusive += 1;
      const units = mode === "shared" ? 1 : typeof mode === "number" ? mode : 0;
      if (s.spec.type === "rate_limited") s.tokens -= units;
      else if (s.spec.type === "pooled") s.units += units;
      keys.push(s.key);
      modes.push(mode);
    }
    this.held.set(taskId, { keys, modes });
    return check;
  }

  /** Releases everything `taskId` holds (rate-limit tokens are consumed, not returned). Returns the keys changed. */
  release(taskId: string): readonly string[] {
    const h = this.held.get(taskId);
    if (!h) return [];
    this.held.delete(taskId);
    h.keys.forEach((key, i) => {
      const s = this.keys.get(key)!;
      const mode = h.modes[i]!;
      s.holders.delete(taskId);
      if (mode === "exclusive") s.exclusive -= 1;
      if (s.spec.type === "pooled") s.units -= mode === "shared" ? 1 : typeof mode === "number" ? mode : 0;
    });
    return h.keys;
  }

  /** The keys a task holds. */
  heldBy(taskId: string): readonly string[] {
    return this.held.get(taskId)?.keys ?? [];
  }

  /** A view of one key for current.json. */
  view(key: string, nowMs: number): ResourceView | undefined {
    const s = this.keys.get(key);
    if (!s) return undefined;
    this.refill(s, nowMs);
    return {
      key,
      resource_id: s.spec.id,
      type: s.spec.type,
      capacity: Number.isFinite(s.spec.capacity) ? s.spec.capacity : -1,
      holders: [...s.holders].map(([task_id, mode]) => ({ task_id, mode })),
      tokens_left: s.spec.type === "rate_limited" ? Math.floor(s.tokens * 1000) / 1000 : null,
    };
  }

  /** Every key created so far (global ones and per-workstream instances). */
  allKeys(): readonly string[] {
    return [...this.keys.keys()];
  }

  /** Units in use on a key (pooled) / tokens left (rate_limited) / holder count — for invariants in tests. */
  usage(
    key: string,
  ): { holders: number; exclusive: number; units: number; tokens: number; capacity: number } | undefined {
    const s = this.keys.get(key);
    return (
      s && {
        holders: s.holders.size,
        exclusive: s.exclusive,
        units: s.units,
        tokens: s.tokens,
        capacity: s.spec.capacity,
      }
    );
  }
}
