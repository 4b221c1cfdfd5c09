// The page frame fits a phone: on a 390 px screen the header and the main
// menu wrap instead of running off the page (the menu used to be one row
// that made every page 748 px wide). Wide tables are not covered yet: the
// users table still widens its page (issue 12).
import { expect, test } from "@playwright/test";
import { open } from "./support";

const PHONE = { width: 390, height: 844 };
const PAGES = ["/", "/admin/users", "/admin/data-sources", "/settings/api-keys"];

test("the header and the main menu fit a 390 px screen", async ({ page }, info) => {
  await page.setViewportSize(PHONE);
  await open(page, info, "/signin?next=/profile");
  await page.getByLabel("Email address or username", { exact: true }).fill("admin@example.org");
  await page.getByLabel("Password", { exact: true }).fill("e2e admin password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  for (const path of PAGES) {
    await open(page, info, path);
    await expect(page.getByRole("navigation", { name: "Main navigation" })).toBeVisible();
    const widths = await page.evaluate(() =>
      ["header", 'nav[aria-label="Main navigation"]'].map((selector) => {
        const element = document.querySelector(selector)!;
        return { selector, right: Math.round(element.getBoundingClientRect().right), content: element.scrollWidth };
      }),
    );
    for (const { selector, right, content } of widths) {
      expect(Math.max(right, content), `${path}: ${selector} reaches ${right} px, holds ${content} px`).toBeLessThanOrEqual(PHONE.width);
    }
  }
});
