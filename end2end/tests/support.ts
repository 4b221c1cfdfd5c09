import { resolve } from "node:path";
import { expect, type Page, type TestInfo } from "@playwright/test";

// Where the screenshots for people go: the committed docs/screenshots only
// when asked (`UPDATE_SCREENSHOTS=1 npx playwright test`), so a test run
// leaves the tree as it was; otherwise the ignored test-results folder.
export const screenshots = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, "../../docs/screenshots")
  : resolve(__dirname, "../test-results/screenshots");

export const hydrated = (info: TestInfo) => info.project.use.javaScriptEnabled !== false;

// Opens a page and, when JavaScript runs, waits until hydration finished:
// clicks that land before it are silently lost.
export async function open(page: Page, info: TestInfo, path: string) {
  const messages: string[] = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => messages.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  let response = await page.goto(path);
  if (!hydrated(info)) return response;
  // The first page of a run compiles the whole WASM bundle; on two busy
  // cores that alone can take longer than the usual 10 s expectation.
  const done = page.locator("body[data-hydrated]");
  try {
    await expect(done).toHaveCount(1, { timeout: 30_000 });
  } catch {
    // Once in dozens of runs on a loaded CI machine a page never hydrated.
    // Record what the browser said and what the server answered, then load
    // the page once more: a second stall fails the test.
    const answer = response
      ? `${response.status()} ${response.url()}\n${JSON.stringify(await response.allHeaders(), null, 1)}`
      : "(no response)";
    const report = `${answer}\n${messages.join("\n") || "(nothing in the console)"}`;
    console.warn(`hydration of ${path} stalled; server answered ${report}`);
    await info.attach("hydration-stall", { body: report });
    response = await page.reload();
    await expect(done).toHaveCount(1, { timeout: 20_000 });
  }
  return response;
}

// Marks the current document; if the page reloads, the mark is gone.
export async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
}

export async function expectSameDocument(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
}

export async function chooseLanguage(page: Page, nativeName: string) {
  await page.getByTestId("locale-switcher").locator("summary").click();
  await page.getByRole("link", { name: nativeName, exact: true }).click();
}

export const bodyBackground = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);
