import { z } from "zod";
import { Id } from "./ids.js";

export const ResourceType = z.enum(["exclusive", "shared", "rate_limited", "pooled"]);
export type ResourceType = z.infer<typeof ResourceType>;

/** `'<n>/second|minute|hour'` (CONC-REG-001). */
export const RefillRate = z.string().regex(/^\d+(?:\.\d+)?\/(second|minute|hour)$/, {
  message: "must look like '10/minute' (n per second, minute or hour)",
});

/** One entry of `capabilities/resources.*` (CONC-REG-001). */
export const ResourceEntry = z
  .looseObject({
    ResourceId: Id,
    Type: ResourceType,
    Description: z.string().default(""),
    /** -1 = unlimited. */
    MaxHolders: z.number().int().min(-1).default(1),
    RefillRate: RefillRate.nullable().optional(),
    Priority: z.number().int().default(0),
    Metadata: z
      .looseObject({
        ConflictsWith: z.array(Id).default([]),
        Scope: z.enum(["global", "workstream"]).default("global"),
      })
      .default({ ConflictsWith: [], Scope: "global" }),
  })
  .superRefine((r, ctx) => {
    if (r.Type === "rate_limited" && !r.RefillRate) {
      ctx.addIssue({
        code: "custom",
        path: ["RefillRate"],
        message: "a rate_limited resource needs RefillRate",
      });
    }
    if (r.Type === "exclusive" && r.MaxHolders > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["MaxHolders"],
        message: "an exclusive resource has MaxHolders 1",
      });
    }
    if (r.MaxHolders === 0) {
      ctx.addIssue({ code: "custom", path: ["MaxHolders"], message: "MaxHolders 0 can never be acquired" });
    }
  });
export type ResourceEntry = z.infer<typeof ResourceEntry>;

export const ResourceRegistry = z.array(ResourceEntry);
export type ResourceRegistry = z.infer<typeof ResourceRegistry>;

/** Tokens per second of a RefillRate string (`'60/minute'` → 1). */
export function refillPerSecond(rate: string): number {
  const m = /^(\d+(?:\.\d+)?)\/(second|minute|hour)$/.exec(rate);
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === "second" ? n : m[2] === "minute" ? n / 60 : n / 3600;
}
