import { attrValues } from "../model/entry.js";

/**
 * A person after mapping, compact: the attributes are kept as JSON text (parsed again only when
 * an operation or a diff needs them); the values that uniqueness and identifier checks look at
 * are kept in {@link AttributeColumns}.
 */
export class MappedPerson {
  key: string;
  norm: string;
  dropped = false;
  readonly ref: string;
  readonly anchor: string;
  readonly enabled: boolean;
  readonly selected: boolean;
  /** Position in the mapped list (the row of its values in {@link AttributeColumns}). */
  readonly row: number;
  readonly #shapes: AttributeShapes;
  #shape = 0;
  #json = "";

  constructor(
    init: {
      ref: string;
      key: string;
      norm: string;
      anchor: string;
      enabled: boolean;
      selected: boolean;
      row: number;
    },
    attrs: Record<string, string[]>,
    shapes: AttributeShapes,
  ) {
    this.ref = init.ref;
    this.key = init.key;
    this.norm = init.norm === init.key ? init.key : init.norm;
    this.anchor = init.anchor;
    this.enabled = init.enabled;
    this.selected = init.selected;
    this.row = init.row;
    this.#shapes = shapes;
    this.setAttrs(attrs);
  }

  /** The mapped attributes, names in their original order (a fresh copy on every call). */
  attrs(): Record<string, string[]> {
    const names = this.#shapes.names(this.#shape);
    const values = JSON.parse(this.#json) as string[][];
    const attrs: Record<string, string[]> = {};
    for (let i = 0; i < names.length; i++) attrs[names[i] as string] = values[i] as string[];
    return attrs;
  }

  setAttrs(attrs: Record<string, string[]>): void {
    this.#shape = this.#shapes.id(Object.keys(attrs));
    this.#json = JSON.stringify(Object.values(attrs));
  }
}

/**
 * The attribute name lists mapped persons have, each stored once: persons keep only the number
 * of theirs and their values, which halves what a million mapped persons hold.
 */
export class AttributeShapes {
  readonly #ids = new Map<string, number>();
  readonly #names: string[][] = [];

  /** The number of a name list, registering it on first sight. */
  id(names: string[]): number {
    const signature = names.join("\n");
    let id = this.#ids.get(signature);
    if (id === undefined) {
      id = this.#names.length;
      this.#names.push(names);
      this.#ids.set(signature, id);
    }
    return id;
  }

  names(id: number): readonly string[] {
    return this.#names[id] ?? [];
  }
}

type Cell = string | readonly string[] | undefined;

/** The values of a few attributes of every mapped person, one column per attribute, one row per person. */
export class AttributeColumns {
  readonly #columns = new Map<string, Cell[]>();

  constructor(names: Iterable<string>) {
    for (const name of names) this.#columns.set(name, []);
  }

  /** Stores row `row` from a person's attributes. */
  record(row: number, attrs: Record<string, string[]>): void {
    for (const [name, column] of this.#columns) column[row] = cell(attrValues(attrs, name));
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

  /** Replaces the values of attribute `name` (any case) in row `row`, in every column that keeps it. */
  set(name: string, row: number, values: readonly string[]): void {
    const lower = name.toLowerCase();
    for (const [n, column] of this.#columns) if (n.toLowerCase() === lower) column[row] = cell(values);
  }
}

const NONE: readonly string[] = [];

function cell(values: readonly string[]): Cell {
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values.slice();
}
