import type { ProgressFn } from "../model/connector.js";
import type { ReviewItem } from "../model/review.js";
import { allSettled } from "../util/all-settled.js";
import { normKey } from "./keys.js";
import { mapOnePerson, type PersonMapping } from "./map-person.js";
import { type AttributeColumns, MappedPerson, NO_CELLS } from "./mapped-person.js";
import type { CanonicalPersons } from "./merge.js";
import { type AttributeSpool, SpoolReader } from "./perf/attribute-spool.js";
import { type MappingWorkers, mapInWorkers, mappingThreads, type TakeFn } from "./perf/map-pool.js";
import type { TargetIndex } from "./target-index.js";

/** What {@link mapPersons} needs. */
export interface MapPersonsInputs {
  persons: CanonicalPersons;
  mapping: PersonMapping;
  /** Where the mapped attributes go (rows), and the columns kept in memory for linking. */
  attributes: AttributeSpool;
  columns: AttributeColumns;
  /** The spool file: only a plan written to a file may map in workers. */
  spoolFile: string | undefined;
  workers: MappingWorkers | undefined;
  progress: ((step: string) => ProgressFn | undefined) | undefined;
  /** Reads the target (see `TargetIndex.read`), alongside the workers when they map. */
  readTarget: (progress: ProgressFn | undefined) => Promise<TargetIndex>;
  /** What must be closed when planning ends, whatever happens. */
  open: { close(): void }[];
  review: ReviewItem[];
  /** Receives the default anchors of persons present in the source but not mapped under them. */
  present: string[];
}

/** The mapped persons, where their attributes are, and the target read meanwhile. */
export interface MappedPersons {
  mapped: MappedPerson[];
  reader: SpoolReader;
  target: TargetIndex;
  /** How many persons the mapping gave an anchor of their own. */
  ownAnchors: number;
}

/**
 * The mapping step: maps every canonical person, in worker threads when the snapshot is large
 * and the plan goes to a file (the target is read meanwhile on this thread), or inline after
 * reading the target. Either way the rows, review items and plan are the same.
 *
 * @example
 * const { mapped, reader, target } = await mapPersons({ persons, mapping, attributes, columns, … });
 */
export async function mapPersons(inputs: MapPersonsInputs): Promise<MappedPersons> {
  const { columns, review, present } = inputs;
  const mapped = new Array<MappedPerson>(inputs.persons.count);
  let mappedCount = 0;
  let ownAnchors = 0;
  const anchorCell = columns.names.indexOf(inputs.mapping.anchorAttr);
  const take: TakeFn = (o, row, cells) => {
    for (const item of o.review) review.push(item);
    const p = o.mapped;
    // A mapped person's own anchor is marked when it is diffed (one look-up for both).
    if (!p || p.ownAnchor) present.push(o.refAnchor);
    if (!p) return;
    if (p.ownAnchor) ownAnchors++;
    // The anchor column holds the person's anchor: one string for both (docs/performance.md).
    if (cells[anchorCell] === p.anchor) cells[anchorCell] = p.anchor;
    columns.put(row, cells);
    mappedCount = row + 1;
    mapped[row] = new MappedPerson({
      ref: o.ref,
      key: p.key,
      norm: p.norm,
      anchor: p.anchor,
      enabled: p.enabled,
      selected: p.selected,
      row,
      digest: p.digest,
    });
  };
  const threads = inputs.spoolFile === undefined ? 0 : mappingThreads(inputs.workers, inputs.persons.count);
  const done =
    inputs.workers && inputs.spoolFile !== undefined && threads > 0
      ? await inWorkers(inputs, inputs.workers, inputs.spoolFile, threads, take)
      : await inline(inputs, take);
  inputs.open.push(done.reader);
  mapped.length = mappedCount;
  return { mapped, reader: done.reader, target: done.target, ownAnchors };
}

/**
 * Maps in `threads` workers while this thread opens and reads the target: each needs a core,
 * and the target needs nothing the mapping gives. The target's progress shows once the
 * mapping is done; a target that cannot be read stops the mapping.
 */
async function inWorkers(
  inputs: MapPersonsInputs,
  workers: MappingWorkers,
  spool: string,
  threads: number,
  take: TakeFn,
): Promise<{ reader: SpoolReader; target: TargetIndex }> {
  const { mapper: _m, validate: _v, ...context } = inputs.mapping;
  const mapProgress = inputs.progress?.("map");
  let targetProgress: ProgressFn | undefined;
  const stop = new AbortController();
  const [segments, target] = await allSettled(
    mapInWorkers({
      persons: inputs.persons,
      workers,
      threads,
      context,
      columns: inputs.columns.names,
      spool,
      take,
      ...(mapProgress ? { progress: mapProgress } : {}),
      open: inputs.open,
      signal: stop.signal,
    }).then((done) => {
      targetProgress = inputs.progress?.("target");
      return done;
    }),
    inputs
      .readTarget((done, total) => targetProgress?.(done, total))
      .catch((err: unknown) => {
        stop.abort(err);
        throw err;
      }),
  );
  mapProgress?.(inputs.persons.count, inputs.persons.count);
  return { reader: new SpoolReader(segments), target };
}

/** Reads the target, then maps every person on this thread. */
async function inline(
  inputs: MapPersonsInputs,
  take: TakeFn,
): Promise<{ reader: SpoolReader; target: TargetIndex }> {
  const target = await inputs.readTarget(inputs.progress?.("target"));
  const mapProgress = inputs.progress?.("map");
  let seen = 0;
  for await (const person of inputs.persons.persons()) {
    seen++;
    if (mapProgress && seen % 5000 === 0) mapProgress(seen, inputs.persons.count);
    const outcome = mapOnePerson(person, inputs.mapping);
    const p = outcome.mapped;
    if (p)
      take(
        { ...outcome, mapped: { ...p, norm: normKey(p.key) } },
        inputs.attributes.add(p.attrs),
        inputs.columns.cellsOf(p.attrs),
      );
    else take({ ref: outcome.ref, refAnchor: outcome.refAnchor, review: outcome.review }, -1, NO_CELLS);
  }
  mapProgress?.(inputs.persons.count, inputs.persons.count);
  return { reader: inputs.attributes.reader(), target };
}
