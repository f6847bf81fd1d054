/**
 * Retry backoff (SM-DEF-001, SPEC §4): before retry n (1-based) wait
 * `min(maxDelay, baseDelay × 2^(n−1))` seconds with ±20% jitter derived deterministically from (task_id, n).
 */
export interface BackoffOptions {
  /** `execution.retry_delay_seconds` (default 10). */
  readonly baseDelaySeconds: number;
  /** `execution.max_retry_delay_seconds` or `defaults.max_retry_delay_seconds` (default 300). */
  readonly maxDelaySeconds: number;
}

/** FNV-1a 32-bit hash of a string (deterministic jitter source). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The jitter factor in [0.8, 1.2] for (taskId, n). Pure. */
export function computeJitter(taskId: string, retry: number): number {
  const unit = fnv1a(`${taskId}#${retry}`) / 0xffffffff;
  return 0.8 + unit * 0.4;
}

/** Seconds to wait before retry `retry` (1-based) of `taskId` (SPEC §4). Pure. */
export function computeBackoffSeconds(taskId: string, retry: number, options: BackoffOptions): number {
  if (retry < 1) throw new Error(`retry number must be ≥ 1, got ${retry}`);
  const raw = Math.min(options.maxDelaySeconds, options.baseDelaySeconds * 2 ** (retry - 1));
  return raw * computeJitter(taskId, retry);
}
