import { expect, type Page, type TestInfo } from "@playwright/test";

export const hydrated = (info: TestInfo) => info.project.use.javaScriptEnabled !== false;

// Opens a page and, when JavaScript runs, waits until hydration finished:
// clicks that land before it are silently lost.
export async function open(page: Page, info: TestInfo, path: string) {
  const response = await page.goto(path);
  if (hydrated(info)) {
    // The first page of a run compiles the whole WASM bundle; on two busy
    // cores that alone can take longer than the usual 10 s expectation.
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 45_000 });
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
