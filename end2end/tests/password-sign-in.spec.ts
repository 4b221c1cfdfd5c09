// Signing in and out works with JavaScript disabled: plain form posts the
// server answers with redirects. This server's administrator comes from
// FERROBASE_ADMIN_EMAIL / FERROBASE_ADMIN_PASSWORD (see playwright.config.ts).
import { expect, test } from "@playwright/test";

test("sign-in, a protected page and sign-out without JavaScript", async ({ page }) => {
  await page.goto("/admin/users");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(0);
  await page.getByTestId("sign-in-required").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/signin\?next=%2Fadmin%2Fusers$|\/signin\?next=\/admin\/users$/);

  await page.getByLabel("Email address or username", { exact: true }).fill("admin@example.org");
  await page.getByLabel("Password", { exact: true }).fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("The account or the password is not correct.");
  await expect(page.getByLabel("Email address or username", { exact: true })).toHaveValue("admin@example.org");

  await page.getByLabel("Password", { exact: true }).fill("e2e admin password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByTestId("users-table")).toContainText("admin@example.org");
  const cookie = (await page.context().cookies()).find((c) => c.name === "fb_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");

  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/admin/users");
  await expect(page.getByTestId("sign-in-required")).toBeVisible();
});
