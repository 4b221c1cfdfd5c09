// Without JavaScript every page still reads completely, and the language and
// theme controls still work (as links the server answers).
import { expect, test } from "@playwright/test";

test("no script runs and the page is complete", async ({ page }) => {
  await page.goto("/status");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("System status");
  await expect(page.getByTestId("sign-in-required")).toBeVisible();
});

test("the language link round-trips through the server", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("locale-switcher").locator("summary").click();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/prefs/locale/id")),
    page.getByRole("link", { name: "Bahasa Indonesia" }).click(),
  ]);
  expect(response.status()).toBe(303);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hubungkan sistem yang dijalankan organisasi Anda");
});
