import type { z } from "zod";
import { AttemptResult } from "./attempt-result.js";
import { CapabilityRegistry } from "./capability-registry.js";
import { ByStatusIndex, ByWorkerIndex, ByWorkstreamIndex, CurrentState } from "./current-state.js";
import { EventLine } from "./event-line.js";
import { DagDocument, ExecutionPlan, MetricsDocument } from "./plan-documents.js";
import { ResourceRegistry } from "./resource-registry.js";
import { TaskDefinition, TaskDefinitionV1 } from "./task-definition.js";
import { WeftConfig } from "./weft-config.js";
import { WorkstreamDefinition } from "./workstream-definition.js";

/** Every document weft reads or writes, by the file name of its JSON Schema under `schemas/`. */
export const DOCUMENT_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  "task-definition-1.0.0": TaskDefinitionV1,
  "task-definition-2.0.0": TaskDefinition,
  "workstream-definition": WorkstreamDefinition,
  "weft-config": WeftConfig,
  "capability-registry": CapabilityRegistry,
  "resource-registry": ResourceRegistry,
  "event-line": EventLine,
  "current-state": CurrentState,
  "index-by-workstream": ByWorkstreamIndex,
  "index-by-status": ByStatusIndex,
  "index-by-worker": ByWorkerIndex,
  dag: DagDocument,
  "execution-plan": ExecutionPlan,
  metrics: MetricsDocument,
  "attempt-result": AttemptResult,
};
