import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { configText } from "../support/spine.js";

describe("configuration", () => {
  it("accepts a valid file with defaults filled in", () => {
    const { config } = parseConfig(configText(), "/x/overstap.yaml");
    expect(config.safety.person.maxDisables).toEqual({ count: 50, percent: 5 });
    expect(config.stages.map((s) => s.name)).toEqual(["pilot", "all"]);
  });

  it("names file, line and key for a wrong value", () => {
    const text = configText().replace("profile: entree", "profile: entree\nexecution: { concurrency: 0 }");
    expect(() => parseConfig(text, "/x/overstap.yaml")).toThrow(
      /overstap\.yaml:4: execution\.concurrency: .*>=1/,
    );
  });

  it("shows the form of a correlation key given as a bare attribute name", () => {
    const text = `${configText()}correlation: { keys: [mail] }\n`;
    expect(() => parseConfig(text, "/x/overstap.yaml")).toThrow(
      /overstap\.yaml:\d+: correlation\.keys\.0: a correlation key is an object such as \{ attribute: mail, confidence: 0\.8 \}/,
    );
  });

  it("refuses a secret in plain text and says how to fix it", () => {
    const text = configText().replace(
      "target: { type: ldif, file: target.ldif }",
      "target:\n  type: ldap\n  bindPassword: hunter2",
    );
    expect(() => parseConfig(text, "/x/overstap.yaml")).toThrow(
      expect.objectContaining({
        code: "SECRET_IN_PLAIN_TEXT",
        message: expect.stringMatching(/:8: target\.bindPassword/),
      }),
    );
    try {
      parseConfig(text, "/x/overstap.yaml");
    } catch (err) {
      expect(String((err as Error).message)).not.toContain("hunter2");
    }
  });

  it("gives the line of a YAML syntax error", () => {
    const text = `institution: { name: X, realm: x }\nprofile: entree\nsources: [\n  broken: {\n`;
    expect(() => parseConfig(text, "/x/overstap.yaml")).toThrow(/overstap\.yaml:[345]:/);
  });

  it("refuses a stage defined twice", () => {
    const text = configText().replace(
      "{ name: all, select: { all: true } }",
      "{ name: pilot, select: { all: true } }",
    );
    expect(() => parseConfig(text, "/x/overstap.yaml")).toThrow(/stage "pilot" is defined twice/);
  });

  it("names file, line and the close name for an unknown connector type or profile (finding 6)", () => {
    const source = configText().replace(
      "target: { type: ldif, file: target.ldif }",
      "target: { type: ldfi, file: target.ldif }",
    );
    expect(() => parseConfig(source, "/x/overstap.yaml")).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringMatching(
          /^\/x\/overstap\.yaml:\d+: target\.type: unknown connector type "ldfi"$/,
        ),
        hint: expect.stringContaining('Did you mean "ldif"?'),
      }),
    );
    const profile = configText().replace("profile: entree", "profile: entre");
    expect(() => parseConfig(profile, "/x/overstap.yaml")).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^\/x\/overstap\.yaml:\d+: profile: profile "entre" does not exist$/),
        hint: expect.stringContaining('Did you mean "entree"?'),
      }),
    );
    expect(
      parseConfig(configText().replace("profile: entree", "profile: profiles/eigen"), "/x/o.yaml").config
        .profile,
    ).toBe("profiles/eigen");
  });

  it("refuses a YAML alias bomb as a configuration error, not an internal one", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]"];
    for (const c of "cdefgh")
      bomb.push(
        `${c}: &${c} [${Array(10)
          .fill(`*${String.fromCharCode(c.charCodeAt(0) - 1)}`)
          .join(", ")}]`,
      );
    expect(() => parseConfig(`${bomb.join("\n")}\n${configText()}`, "/x/overstap.yaml")).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringMatching(/^\/x\/overstap\.yaml: /),
      }),
    );
  });

  it("refuses unknown keys", () => {
    expect(() => parseConfig(`${configText()}\nsafty: {}\n`, "/x/o.yaml")).toThrow(
      /CONFIG|safty|Unrecognized/i,
    );
  });
});
