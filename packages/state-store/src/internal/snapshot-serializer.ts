import type { ChangedEntity, StateModel } from "@weft/core-schema";
import { STATE_SCHEMA_VERSION } from "@weft/core-schema";

type Section = "tasks" | "workstreams" | "workers" | "resources";

const SECTION_OF: Partial<Record<ChangedEntity["entity_type"], Section>> = {
  task: "tasks",
  workstream: "workstreams",
  worker: "workers",
  resource: "resources",
};

/** Cached JSON text of each record of one section, in the model's (insertion) order. */
class SectionCache {
  private readonly index = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly dirty = new Set<string>();
  private joined: string | null = null;

  mark(id: string): void {
    this.dirty.add(id);
  }

  /** The section's array body. Re-stringifies only the records marked dirty (DESIGN §3: cheap snapshots). */
  build(records: ReadonlyMap<string, unknown>): string {
    if (this.dirty.size === 0 && this.joined !== null && this.texts.length === records.size)
      return this.joined;
    for (const id of this.dirty) {
      const rec = records.get(id);
      if (rec === undefined) continue;
      const at = this.index.get(id);
      if (at === undefined) {
        this.index.set(id, this.texts.length);
        this.texts.push(JSON.stringify(rec));
      } else {
        this.texts[at] = JSON.stringify(rec);
      }
    }
    this.dirty.clear();
    if (this.texts.length !== records.size) this.rebuild(records);
    this.joined = this.texts.length === 0 ? "[]" : `[\n${this.texts.join(",\n")}\n]`;
    return this.joined;
  }

  private rebuild(records: ReadonlyMap<string, unknown>): void {
    this.index.clear();
    this.texts.length = 0;
    for (const [id, rec] of records) {
      this.index.set(id, this.texts.length);
      this.texts.push(JSON.stringify(rec));
    }
  }
}

/**
 * Serializes a {@link StateModel} to `current.json` text (STATE-OBS-001), one record per line, re-stringifying
 * only records changed since the last build. The output parses to exactly `snapshotFromModel(model, recent)`.
 */
export class SnapshotSerializer {
  private readonly sections: Record<Section, SectionCache> = {
    tasks: new SectionCache(),
    workstreams: new SectionCache(),
    workers: new SectionCache(),
    resources: new SectionCache(),
  };

  constructor(model: StateModel) {
    for (const id of model.tasks.keys()) this.sections.tasks.mark(id);
    for (const id of model.workstreams.keys()) this.sections.workstreams.mark(id);
    for (const id of model.workers.keys()) this.sections.workers.mark(id);
    for (const id of model.resources.keys()) this.sections.resources.mark(id);
  }

  markChanged(changed: ChangedEntity): void {
    const section = SECTION_OF[changed.entity_type];
    if (section !== undefined) this.sections[section].mark(changed.entity_id);
  }

  /** `recentTexts`: the exact log lines of the recent events (embedded verbatim: each is one JSON object). */
  build(model: StateModel, recentTexts: readonly string[]): string {
    return (
      `{"schema_version":${JSON.stringify(STATE_SCHEMA_VERSION)},` +
      `"timestamp":${JSON.stringify(model.timestamp)},` +
      `"seq":${model.seq},\n` +
      `"run":${JSON.stringify(model.run)},\n` +
      `"workstreams":${this.sections.workstreams.build(model.workstreams)},\n` +
      `"tasks":${this.sections.tasks.build(model.tasks)},\n` +
      `"workers":${this.sections.workers.build(model.workers)},\n` +
      `"resources":${this.sections.resources.build(model.resources)},\n` +
      `"recent_events":${recentTexts.length === 0 ? "[]" : `[\n${recentTexts.join(",\n")}\n]`}}\n`
    );
  }
}
