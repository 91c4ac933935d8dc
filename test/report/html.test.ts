import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTREE_PROFILE, NAVIGATION_MS, syntheticPlan } from "../../scripts/bench/report.js";
import { SafetySchema } from "../../src/config/schema.js";
import { renderReviewCsv } from "../../src/report/csv.js";
import { renderHtml } from "../../src/report/html/render.js";
import { buildPlanReport } from "../../src/report/model.js";
import { buildRunReport } from "../../src/report/run-model.js";
import { chromiumTests, launchChromium, pdfPageCount } from "./chromium.js";
import { createPerson, journaled, run } from "./fixtures.js";

const SCRIPT = '<script>alert("x")</script>';
const QUOTES = `O'Brien "the <b>bold</b>"`;
const FORMULA = "=cmd|' /C calc'!A0";

describe.runIf(chromiumTests)("HTML report in Chromium", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dir = process.env.OVERSTAP_REPORT_SHOTS ?? (await mkdtemp(join(tmpdir(), "overstap-html-")));
  });
  afterAll(async () => {
    await browser?.close();
    if (!process.env.OVERSTAP_REPORT_SHOTS && dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens `html` in a fresh page that records console errors and fails every request. */
  async function open(html: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    await context.route("**/*", (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => {
      if (!requests.includes(r.url())) requests.push(r.url());
    });
    await page.setContent(html, { waitUntil: "load" });
    return { page, errors, requests };
  }

  it("renders a board report with hostile names as text, without requests or console errors", async () => {
    const plan = syntheticPlan(3000, { hostile: true });
    const report = buildPlanReport(plan.header, plan.operations.slice(0, 60), plan.review, {
      profile: ENTREE_PROFILE,
      includeNames: true,
      safety: SafetySchema.parse({ person: { maxDisables: { count: 1, percent: 100 } } }),
      planFile: "plans/pilot.jsonl",
    });
    const { page, errors, requests } = await open(renderHtml(report, { lang: "nl" }));

    expect(await page.locator("script, img, iframe, object, embed, link").count()).toBe(0);
    expect(await page.locator("header.doc b").count()).toBe(0);
    expect(await page.locator("header.doc .subtitle").textContent()).toContain(
      `Stichting "<b>Voorbeeld</b>" & Co`,
    );
    const cells = await page.locator("#names td").allTextContents();
    expect(cells).toContain(SCRIPT);
    expect(cells).toContain(QUOTES);
    expect(cells).toContain(FORMULA);
    const reviewCells = await page.locator("#review td").allTextContents();
    expect(reviewCells).toContain(QUOTES);
    expect(reviewCells).toContain(FORMULA);
    expect(await page.locator("h1").textContent()).toBe("Migratieplan: fase pilot");
    expect(await page.locator("#summary .lead").textContent()).toMatch(
      /^Deze fase maakt [\d.]+ accounts? aan/,
    );
    expect(await page.locator('[data-risk="thresholds"]').getAttribute("data-level")).toBe("high");

    const shot = join(dir, "plan-nl.png");
    await page.screenshot({ path: shot });
    const png = await readFile(shot);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBe(900);
    expect(png.length).toBeGreaterThan(30_000);

    const pdf = await page.pdf({ format: "A4" });
    await writeFile(join(dir, "plan-nl.pdf"), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(50_000);
    expect(pdfPageCount(pdf)).toBeGreaterThanOrEqual(3);
    expect(pdf.toString("latin1")).toMatch(/\/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]/);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);

    const csv = renderReviewCsv(plan.review);
    expect(csv).toContain(`,'${FORMULA},`);
    expect(csv).toContain(`"O'Brien ""the <b>bold</b>"""`);
    expect(csv).not.toMatch(/(^|,)[=+\-@]/m);
  });

  it("renders an English run report with the commands to resume and roll back", async () => {
    const op = createPerson("a", "11ZZ03", "student");
    const report = buildRunReport(run({ planFile: "plans/fase 1.jsonl" }), [
      ...journaled("run-7", 0, "done", op),
      ...journaled("run-7", 1, "failed", op, { code: "TARGET_CONFLICT", message: SCRIPT }),
    ]);
    const { page, errors, requests } = await open(renderHtml(report, { lang: "en" }));
    const commands = await page.locator("pre.command").allTextContents();
    expect(commands).toEqual([
      "overstap apply 'plans/fase 1.jsonl' --resume run-7",
      "overstap rollback run-7",
    ]);
    expect(await page.locator("#failures td").first().textContent()).toContain("already existed");
    await page.screenshot({ path: join(dir, "run-en.png") });
    expect(pdfPageCount(await page.pdf({ format: "A4" }))).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("keeps the report of a 100k-operation plan under 2 MB and renders it quickly", async () => {
    const plan = syntheticPlan(100_000);
    const report = buildPlanReport(plan.header, plan.operations, plan.review, { profile: ENTREE_PROFILE });
    const file = join(dir, "plan-100k.html");
    await writeFile(file, renderHtml(report, { lang: "nl" }));
    const { size } = await stat(file);
    expect(size).toBeLessThan(2 * 1024 * 1024);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const ms = Number(await page.evaluate(NAVIGATION_MS));
    expect(ms).toBeGreaterThan(0);
    expect(await page.locator("#schools tbody tr").count()).toBeGreaterThan(40);
    await page.close();
  });
});
