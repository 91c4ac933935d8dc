import { type Document, parseDocument } from "yaml";
import { demoMapping } from "../../src/demo/data.js";

/**
 * The demo's mapping (src/demo/data.ts) with people and groups under `base` and a group's display
 * name as its description, for test worlds built like the demo board; `change` edits the YAML
 * document further before it is written out.
 */
export function demoMappingFor(base: string, change: (mapping: Document) => void = () => {}): string {
  const mapping = parseDocument(demoMapping(base));
  mapping.setIn(["group", "attributes", "description"], { value: "{{ displayName }}", when: "displayName" });
  change(mapping);
  return mapping.toString({ lineWidth: 0 });
}
