import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import json from "../../../connectors/json/index.js";
import { isOverstapError } from "../../../src/errors.js";
import type { SourceEvent } from "../../../src/model/connector.js";
import { contextFor } from "../ldif/context.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "overstap-json-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, content: string | Buffer): Promise<SourceEvent[]> {
  await writeFile(path.join(dir, name), content);
  const { ctx, config } = contextFor(
    `sources:\n  people:\n    type: json\n    file: ./${name}\n`,
    "people",
    dir,
  );
  const source = await json.source?.(config, ctx);
  if (!source) throw new Error("json has no source");
  const events: SourceEvent[] = [];
  for await (const e of source.read({})) events.push(e);
  return events;
}

const invalid = (events: SourceEvent[]) => events.flatMap((e) => (e.type === "invalid" ? [e] : []));
const ids = (events: SourceEvent[]) =>
  events.flatMap((e) =>
    e.type === "person" ? [e.person.id] : e.type === "group" ? [`g:${e.group.id}`] : [],
  );

describe("JSON source", () => {
  it("reads JSON Lines with persons and groups, the source being the connector's name", async () => {
    const text = [
      '{"kind":"person","id":"1001","givenName":"Zoë","surname":"Çelik","roles":["student"],"ext":{"groep":"3A"}}',
      "",
      '{"kind":"group","id":"klas-3A","name":"klas-3A","groupKind":"class","members":["1001"]}\r',
      '{"kind":"person","id":"1002","givenName":"Nguyễn"}',
    ].join("\n");
    const events = await read("people.jsonl", text);
    expect(events[0]).toEqual({ type: "reset" });
    expect(events[1]).toEqual({
      type: "person",
      person: {
        source: "people",
        id: "1001",
        givenName: "Zoë",
        surname: "Çelik",
        roles: ["student"],
        enabled: true,
        groups: [],
        ext: { groep: "3A" },
      },
    });
    expect(events[2]).toEqual({
      type: "group",
      group: {
        source: "people",
        id: "klas-3A",
        name: "klas-3A",
        kind: "class",
        members: ["1001"],
        owners: [],
        ext: {},
      },
    });
    expect(ids(events)).toEqual(["1001", "g:klas-3A", "1002"]);
    expect(events.at(-1)).toEqual({ type: "checkpoint", checkpoint: { records: 3 }, done: true });
  });

  it("reads a JSON array (pretty-printed, nested values, strings with brackets and escapes)", async () => {
    const records = [
      { kind: "person", id: "1", displayName: 'Piet "]," Puk \\ [x]', ext: { a: ["b", "c"] } },
      { kind: "group", id: "g1", name: "{team}", members: ["1"] },
    ];
    const events = await read("people.json", `\ufeff${JSON.stringify(records, null, 2)}\n`);
    expect(invalid(events)).toEqual([]);
    expect(ids(events)).toEqual(["1", "g:g1"]);
    expect(events.find((e) => e.type === "person")).toMatchObject({
      person: { displayName: 'Piet "]," Puk \\ [x]' },
    });
    expect(await read("empty.json", "[]")).toEqual([
      { type: "reset" },
      { type: "checkpoint", checkpoint: { records: 0 }, done: true },
    ]);
  });

  it.each([
    ["not JSON", "{kind: person}", undefined, "not valid JSON"],
    ["not an object", "[1, 2]", undefined, "expected an object"],
    ["a missing kind", '{"id":"7"}', "kind", "kind must be"],
    ["an unknown kind", '{"kind":"user","id":"7"}', "kind", "kind must be"],
    ["a source field", '{"kind":"person","id":"7","source":"x"}', "source", "must not be set"],
    ["a missing id", '{"kind":"person","givenName":"x"}', "id", "id:"],
    ["an empty id", '{"kind":"person","id":""}', "id", "id:"],
    ["a wrong type", '{"kind":"person","id":"7","roles":"student"}', "roles", "roles:"],
    ["a wrong nested type", '{"kind":"person","id":"7","roles":["a",3]}', "roles.1", "roles.1:"],
    ["an unknown field", '{"kind":"person","id":"7","bsn":"123456782"}', "bsn", 'unknown field "bsn"'],
    ["a group without name", '{"kind":"group","id":"g7"}', "name", "name:"],
    [
      "a bad group kind",
      '{"kind":"group","id":"g7","name":"x","groupKind":"club"}',
      "groupKind",
      "groupKind:",
    ],
    ["a duplicate person id", '{"kind":"person","id":"1"}', "id", "duplicate person id"],
  ])("reports %s with line, id and field path", async (_name, bad, field, words) => {
    const lines = ['{"kind":"person","id":"1"}', bad, '{"kind":"person","id":"3"}'];
    const events = await read("people.jsonl", `${lines.join("\n")}\n`);
    const found = invalid(events);
    expect(found).toHaveLength(1);
    expect(found[0]?.record).toMatch(/^people\.jsonl:2 \(#2\)/);
    if (bad.includes('"id":"7"') || bad.includes('"id":"g7"') || bad.includes('"id":"1"'))
      expect(found[0]?.record).toMatch(/ id (7|g7|1)$/);
    expect(found[0]?.field).toBe(field);
    expect(found[0]?.reason).toContain(words);
    expect(JSON.stringify(found)).not.toContain("123456782");
    expect(ids(events)).toEqual(["1", "3"]);
  });

  it("names the index and line of a bad element in an array", async () => {
    const events = await read(
      "people.json",
      '[\n  {"kind":"person","id":"1"},\n  {"kind":"person",\n   "id":"2", "enabled":"ja"}\n]',
    );
    expect(invalid(events)).toEqual([
      {
        type: "invalid",
        record: "people.json:3 (#2) id 2",
        id: "2",
        field: "enabled",
        reason: expect.stringContaining("enabled:"),
      },
    ]);
  });

  it("refuses an array that is not closed or has trailing text, and a missing file", async () => {
    for (const text of [
      '[{"kind":"person","id":"1"}',
      '[{"kind":"person","id":"1"}] x',
      '[{"kind":"person","id":"1\n"}]',
    ]) {
      const err = await read("broken.json", text).catch((e: unknown) => e);
      expect(isOverstapError(err, "SOURCE_INVALID")).toBe(true);
    }
    const { ctx, config } = contextFor(
      "sources:\n  people:\n    type: json\n    file: ./missing.jsonl\n",
      "people",
      dir,
    );
    const source = await json.source?.(config, ctx);
    const consume = async () => {
      for await (const _ of source?.read({}) ?? []) void _;
    };
    await expect(consume()).rejects.toMatchObject({ code: "SOURCE_UNREACHABLE" });
  });

  it("emits a checkpoint every 5,000 records", async () => {
    const lines = Array.from({ length: 11_000 }, (_, i) => JSON.stringify({ kind: "person", id: String(i) }));
    const events = await read("many.jsonl", lines.join("\n"));
    expect(
      events
        .filter((e) => e.type === "checkpoint")
        .map((e) => (e.type === "checkpoint" ? e.checkpoint : null)),
    ).toEqual([{ records: 5000 }, { records: 10_000 }, { records: 11_000 }]);
  });
});
