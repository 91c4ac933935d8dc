import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Whether the Chromium tests run: when Chromium is installed, and always under CI (where a
 * missing Chromium must fail, not skip). Locally without Chromium they are skipped loudly.
 */
export const chromiumTests = existsSync(CHROMIUM_PATH) || process.env.CI === "true";
if (!chromiumTests)
  console.warn(`report tests: ${CHROMIUM_PATH} not found; the Chromium rendering tests are skipped`);

/** Launches the Debian Chromium headless, with nothing that talks to the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** The number of pages of a PDF as Chromium writes it (one `/Type /Page` object per page). */
export function pdfPageCount(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
}
