import type { TargetEntry } from "../../src/model/target-entry.js";
import { anchorFor } from "../../src/plan/keys.js";

/** Where the spine world's mapping puts persons. */
export const PEOPLE = "ou=people,dc=school,dc=nl";

/** Piet Puk (`las:1` of the spine world) as the target already holds him. */
export const PIET: TargetEntry = {
  key: `uid=p.puk,${PEOPLE}`,
  type: "person",
  attrs: {
    objectClass: ["inetOrgPerson", "eduPerson"],
    uid: ["p.puk"],
    givenName: ["Piet"],
    sn: ["Puk"],
    cn: ["Piet Puk"],
    eduPersonAffiliation: ["student"],
    eduPersonUniqueId: [anchorFor("las:1", "school.nl")],
  },
};

/** Class 5A as an earlier tool wrote it: cn in lower case, one member (Piet). */
export const CLASS_5A: TargetEntry = {
  key: "cn=5A,ou=groups,dc=school,dc=nl",
  type: "group",
  attrs: { objectClass: ["groupOfNames"], cn: ["5a"], member: [PIET.key] },
};
