import { attrName, attrValues } from "../model/entry.js";
import type { TargetRecord } from "./target-record.js";

/**
 * A person after mapping, compact: its attributes wait in the plan's
 * {@link import("./perf/attribute-spool.js").AttributeSpool} (row {@link row}); the values that
 * uniqueness, correlation and identifier checks look at are kept in {@link AttributeColumns}.
 */
export class MappedPerson {
  key: string;
  norm: string;
  dropped = false;
  readonly ref: string;
  readonly anchor: string;
  readonly enabled: boolean;
  readonly selected: boolean;
  /** The digest of its mapped attributes (`managedDigest`), both lanes; patches are not in it. */
  readonly digest0: number;
  readonly digest1: number;
  /** Position in the mapped list (the row of its values in {@link AttributeColumns} and the spool). */
  readonly row: number;
  /**
   * The target entry this person is linked to once correlation is done (null: none), as
   * {@link import("./target-index.js").TargetIndex.linkedPerson} found it; undefined until asked, and again when the key
   * changes.
   */
  link: TargetRecord | null | undefined = undefined;
  /** Attribute values set after mapping (issued identifiers), applied by {@link patched}. */
  #patches: [string, string[]][] | undefined;

  constructor(init: {
    ref: string;
    key: string;
    norm: string;
    anchor: string;
    enabled: boolean;
    selected: boolean;
    row: number;
    digest?: readonly [number, number];
  }) {
    this.ref = init.ref;
    this.key = init.key;
    this.norm = init.norm === init.key ? init.key : init.norm;
    this.anchor = init.anchor;
    this.enabled = init.enabled;
    this.selected = init.selected;
    this.row = init.row;
    this.digest0 = init.digest?.[0] ?? 0;
    this.digest1 = init.digest?.[1] ?? 0;
  }

  /** True when its attributes were patched after mapping (so its digest no longer covers them). */
  get isPatched(): boolean {
    return this.#patches !== undefined;
  }

  /** Replaces the values of attribute `attr` (any case) once the attributes are read back. */
  patch(attr: string, values: string[]): void {
    this.#patches ??= [];
    this.#patches.push([attr, values]);
  }

  /** `attrs` (the person's mapped attributes, read back) with the patches applied, in place. */
  patched(attrs: Record<string, string[]>): Record<string, string[]> {
    for (const [attr, values] of this.#patches ?? []) attrs[attrName(attrs, attr) ?? attr] = values;
    return attrs;
  }
}

type Cell = string | readonly string[] | undefined;
/** One row of {@link AttributeColumns}: a cell per column, in column order. Plain data, so it can cross threads. */
export type Cells = Cell[];
/** A row with nothing in it. */
export const NO_CELLS: Cells = [];

/** The values of a few attributes of every mapped person, one column per attribute, one row per person. */
export class AttributeColumns {
  readonly #columns = new Map<string, Cell[]>();

  /** `rows`: how many rows to make room for at once (more may come). */
  constructor(names: Iterable<string>, rows = 0) {
    for (const name of names) this.#columns.set(name, new Array<Cell>(rows));
  }

  /** The column names, in column order. */
  get names(): string[] {
    return [...this.#columns.keys()];
  }

  /** Stores row `row` from a person's attributes. */
  record(row: number, attrs: Record<string, string[]>): void {
    this.put(row, this.cellsOf(attrs));
  }

  /** The cells of a row for a person's attributes (see {@link cellsFor}). */
  cellsOf(attrs: Record<string, string[]>): Cells {
    return cellsFor(this.#columns.keys(), attrs);
  }

  /** Stores row `row` from its cells, in column order (an empty cell may come as `null`, as JSON gives it). */
  put(row: number, cells: Cells | (Cells[number] | null)[]): void {
    let i = 0;
    for (const column of this.#columns.values()) column[row] = cells[i++] ?? undefined;
  }

  /** The values of `name` in row `row` (empty when the column is not kept). */
  values(name: string, row: number): readonly string[] {
    const c = this.#columns.get(name)?.[row];
    return c === undefined ? NONE : typeof c === "string" ? [c] : c;
  }

  /** The first value of `name` in row `row`. */
  first(name: string, row: number): string | undefined {
    const c = this.#columns.get(name)?.[row];
    return c === undefined || typeof c === "string" ? c : c[0];
  }

  /** Forgets every value (the planner's checks are done, and the values are the largest part of its memory). */
  clear(): void {
    for (const column of this.#columns.values()) column.length = 0;
  }

  /** Replaces the values of attribute `name` (any case) in row `row`, in every column that keeps it. */
  set(name: string, row: number, values: readonly string[]): void {
    const lower = name.toLowerCase();
    for (const [n, column] of this.#columns) if (n.toLowerCase() === lower) column[row] = cell(values);
  }
}

const NONE: readonly string[] = [];

/** The cells of a row of columns `names` for a person's attributes (names matched case-insensitively). */
export function cellsFor(names: Iterable<string>, attrs: Record<string, string[]>): Cells {
  const cells: Cells = [];
  for (const name of names) cells.push(cell(attrValues(attrs, name)));
  return cells;
}

function cell(values: readonly string[]): Cell {
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values.slice();
}
