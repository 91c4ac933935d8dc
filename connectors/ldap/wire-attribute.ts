import { Attribute } from "ldapts";

/**
 * An ldapts `Attribute` whose JSON form is its type alone. ldapts describes every request it
 * sends as JSON for its debug log (`NODE_DEBUG=ldapts`), and builds that text also when the
 * log is off: with this class attribute values (names, mail addresses, a locked password)
 * never reach that log, and the text of an add of ten attributes costs a few names instead of
 * every value.
 * @example await client.add(dn, [new WireAttribute({ type: "uid", values: ["p1"] })])
 */
export class WireAttribute extends Attribute {
  toJSON(): { type: string } {
    return { type: this.type };
  }
}
