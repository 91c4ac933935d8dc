import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { ContentFile } from "../../connectors/ldif/content-file.js";

/** An LDIF content file holding `content`, open for reading by position; closed and removed when the test ends. */
export function contentFileOf(content: string | Buffer): ContentFile {
  const folder = mkdtempSync(path.join(tmpdir(), "overstap-content-"));
  writeFileSync(path.join(folder, "t.ldif"), content);
  const file = ContentFile.open(path.join(folder, "t.ldif"));
  onTestFinished(() => {
    file.close();
    rmSync(folder, { recursive: true });
  });
  return file;
}
