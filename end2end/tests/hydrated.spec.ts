// After hydration the page is interactive: controls act in place, no reload.
import { expect, test } from "@playwright/test";
import { chooseLanguage, expectSameDocument, markDocument, open } from "./support";

test("the theme toggle acts without a reload", async ({ page }, info) => {
  await open(page, info, "/");
  await markDocument(page);
  await page.getByTestId("theme-toggle").click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await expectSameDocument(page);
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "fb_theme")?.value).toBe("light");
});

test("the language switcher re-renders every string without a reload", async ({ page }, info) => {
  await open(page, info, "/");
  await markDocument(page);
  await chooseLanguage(page, "日本語");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("組織で使っているシステムをつなぐ");
  await expect(page.getByRole("navigation").getByRole("link")).toHaveText(["ホーム"]);
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page).toHaveTitle("ホーム · Ferrobase");
  await expect(page.getByTestId("locale-switcher")).not.toHaveAttribute("open", "");
  await expectSameDocument(page);
});

test("client-side navigation keeps the document", async ({ page }, info) => {
  await open(page, info, "/");
  await markDocument(page);
  await page.getByRole("link", { name: "Open system status" }).click();
  await expect(page.getByTestId("sign-in-required")).toBeVisible();
  await expectSameDocument(page);
  await page.getByRole("navigation").getByRole("link", { name: "Home" }).click();
  await expect(page.getByRole("heading", { name: "Start here" })).toBeVisible();
  await expectSameDocument(page);
});

// Artifacts for people: the home page in both themes and two languages.
for (const [locale, name] of [["en", "English"], ["cs", "Čeština"]] as const) {
  for (const theme of ["light", "dark"] as const) {
    test(`screenshot: home, ${locale}, ${theme}`, async ({ page }, info) => {
      await page.context().addCookies([
        { name: "fb_locale", value: locale, url: info.project.use.baseURL! },
        { name: "fb_theme", value: theme, url: info.project.use.baseURL! },
      ]);
      await page.setViewportSize({ width: 1280, height: 900 });
      await open(page, info, "/");
      await expect(page.getByTestId("locale-switcher").locator("summary")).toContainText(name);
      const path = info.outputPath(`home-${locale}-${theme}.png`);
      await page.screenshot({ path, fullPage: true });
      await info.attach(`home-${locale}-${theme}`, { path, contentType: "image/png" });
    });
  }
}
