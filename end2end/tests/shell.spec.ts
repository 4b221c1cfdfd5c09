// What every visitor needs, with and without JavaScript.
import { expect, test } from "@playwright/test";
import { bodyBackground, chooseLanguage, open } from "./support";

test("the shell renders the product, the menu and the first steps", async ({ page }, info) => {
  await open(page, info, "/");
  await expect(page.getByTestId("brand")).toContainText("Ferrobase");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connect the systems your organisation runs");
  const menu = page.getByRole("navigation", { name: "Main navigation" });
  // Status and telemetry need the `system` permission: not an anonymous link.
  await expect(menu.getByRole("link")).toHaveText(["Home"]);
  await expect(menu.getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "Start here" })).toBeVisible();
  await expect(page).toHaveTitle("Home · Ferrobase");
});

test("the system status asks an anonymous visitor to sign in", async ({ page }, info) => {
  await open(page, info, "/");
  await page.getByRole("link", { name: "Open system status" }).click();
  await expect(page).toHaveURL(/\/status$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("System status");
  await expect(page.getByTestId("sign-in-required")).toBeVisible();
  await expect(page.getByTestId("status-table")).toHaveCount(0);
  await expect(page).toHaveTitle("System status · Ferrobase");
});

test("an unknown address shows a 404 page that leads home", async ({ page }, info) => {
  const response = await open(page, info, "/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("choosing a language changes the text and is remembered", async ({ page }, info) => {
  await open(page, info, "/status");
  await chooseLanguage(page, "Čeština");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Stav systému");
  await expect(page.locator("html")).toHaveAttribute("lang", "cs");
  await expect(page).toHaveURL(/\/status$/);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Stav systému");
});

test("the browser's language is used until one is chosen", async ({ browser }) => {
  const context = await browser.newContext({ locale: "pt-BR" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Conecte os sistemas que sua organização usa");
  await context.close();
});

test("the system theme follows the operating system", async ({ page }, info) => {
  await page.emulateMedia({ colorScheme: "light" });
  await open(page, info, "/");
  const light = await bodyBackground(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => bodyBackground(page)).not.toBe(light);
});

test("the theme toggle cycles light, dark and system", async ({ page }, info) => {
  await page.emulateMedia({ colorScheme: "light" });
  await open(page, info, "/");
  const html = page.locator("html");
  await expect(html).toHaveAttribute("data-theme", "system");
  const light = await bodyBackground(page);
  await page.getByTestId("theme-toggle").click();
  await expect(html).toHaveAttribute("data-theme", "light");
  await page.getByTestId("theme-toggle").click();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await expect.poll(() => bodyBackground(page)).not.toBe(light);
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await page.getByTestId("theme-toggle").click();
  await expect(html).toHaveAttribute("data-theme", "system");
});
