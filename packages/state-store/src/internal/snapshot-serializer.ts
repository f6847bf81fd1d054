import type { ChangedEntity, StateModel } from "@weft/core-schema";
import { STATE_SCHEMA_VERSION } from "@weft/core-schema";

type Section = "tasks" | "workstreams" | "workers" | "resources";

const SECTION_OF: Partial<Record<ChangedEntity["entity_type"], Section>> = {
  task: "tasks",
  workstream: "workstreams",
  worker: "workers",
  resource: "resources",
};

const OPEN = Buffer.from("[\n");
const SEP = Buffer.from(",\n");
const CLOSE = Buffer.from("\n]");
const EMPTY = Buffer.from("[]");
const enc = (v: unknown) => Buffer.from(JSON.stringify(v));

/**
 * Cached UTF-8 JSON of each record of one section, in the model's (insertion) order. A snapshot is written as a
 * list of these buffers (writev), so a batch costs one JSON.stringify per CHANGED record and no concatenation or
 * re-encoding of the whole state (DESIGN §3: cheap snapshots for big states).
 */
class SectionCache {
  private readonly index = new Map<string, number>();
  private readonly bufs: Buffer[] = [];
  private readonly dirty = new Set<string>();

  mark(id: string): void {
    this.dirty.add(id);
  }

  /** Appends the section's JSON array (as buffers) to `out`. */
  build(records: ReadonlyMap<string, unknown>, out: Buffer[]): void {
    for (const id of this.dirty) {
      const rec = records.get(id);
      if (rec === undefined) continue;
      const at = this.index.get(id);
      if (at === undefined) {
        this.index.set(id, this.bufs.length);
        this.bufs.push(enc(rec));
      } else {
        this.bufs[at] = enc(rec);
      }
    }
    this.dirty.clear();
    if (this.bufs.length !== records.size) this.rebuild(records);
    if (this.bufs.length === 0) {
      out.push(EMPTY);
      return;
    }
    out.push(OPEN);
    for (let i = 0; i < this.bufs.length; i++) {
      if (i > 0) out.push(SEP);
      out.push(this.bufs[i]!);
    }
    out.push(CLOSE);
  }

  private rebuild(records: ReadonlyMap<string, unknown>): void {
    this.index.clear();
    this.bufs.length = 0;
    for (const [id, rec] of records) {
      this.index.set(id, this.bufs.length);
      this.bufs.push(enc(rec));
    }
  }
}

/**
 * Serializes a {@link StateModel} to `current.json` (STATE-OBS-001), one record per line, re-stringifying only
 * records changed since the last build. The output parses to exactly `snapshotFromModel(model, recent)`.
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

  /**
   * The snapshot as a list of buffers (concatenated, they are the file). `recentTexts`: the exact log lines of the
   * recent events, embedded verbatim (each is one JSON object).
   */
  build(model: StateModel, recentTexts: readonly string[]): Buffer[] {
    const out: Buffer[] = [
      Buffer.from(
        `{"schema_version":${JSON.stringify(STATE_SCHEMA_VERSION)},` +
          `"timestamp":${JSON.stringify(model.timestamp)},` +
          `"seq":${model.seq},\n` +
          `"run":${JSON.stringify(model.run)},\n"workstreams":`,
      ),
    ];
    this.sections.workstreams.build(model.workstreams, out);
    out.push(Buffer.from(',\n"tasks":'));
    this.sections.tasks.build(model.tasks, out);
    out.push(Buffer.from(',\n"workers":'));
    this.sections.workers.build(model.workers, out);
    out.push(Buffer.from(',\n"resources":'));
    this.sections.resources.build(model.resources, out);
    const recent = recentTexts.length === 0 ? "[]" : `[\n${recentTexts.join(",\n")}\n]`;
    out.push(Buffer.from(`,\n"recent_events":${recent}}\n`));
    return out;
  }
}
