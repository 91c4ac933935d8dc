import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openMemoryStore } from "../../src/state/memory.js";
import { openSqliteStore } from "../../src/state/sqlite.js";
import { storeContract } from "./contract.js";

storeContract("memory", openMemoryStore);
storeContract("SQLite in a file", () =>
  openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), "overstap-contract-")), "state.db")),
);
