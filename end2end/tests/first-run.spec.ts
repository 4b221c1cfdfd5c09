// A person's first session: create the first administrator, add a user and a
// role, then sign in as that user and see only what the role allows.
import { expect, test, type Page } from "@playwright/test";
import { open } from "./support";

test.describe.configure({ mode: "serial" });

// Content-Security-Policy violations show up as console errors.
function collectCspViolations(page: Page) {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) {
      violations.push(message.text());
    }
  });
  return violations;
}

async function signIn(page: Page, account: string, password: string) {
  await page.getByLabel("Email address or username", { exact: true }).fill(account);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("first run → users and roles → a member sees only what the role allows", async ({ page }, info) => {
  test.setTimeout(120_000);
  const violations = collectCspViolations(page);

  await test.step("the first visit leads to the one-time set-up page", async () => {
    await open(page, info, "/");
    await page.getByTestId("account-callout").getByRole("link", { name: "Create the first administrator" }).click();
    await expect(page).toHaveURL(/\/setup$/);
    await page.getByLabel("Email address", { exact: true }).fill("ada@example.org");
    await page.getByLabel("Name", { exact: true }).fill("Ada Admin");
    await page.getByLabel("New password (at least 8 characters)", { exact: true }).fill("first admin password");
    await page.getByLabel("Repeat the password", { exact: true }).fill("first admin password");
    await page.getByRole("button", { name: "Create the administrator and sign in" }).click();
    await expect(page.getByTestId("current-user")).toHaveText("Ada Admin");
  });

  await test.step("the administrator sees the live system status, refreshed in place", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "System status" }).click();
    await expect(page).toHaveURL(/\/status$/);
    const table = page.getByTestId("status-table");
    await expect(table).toContainText("Ready");
    await expect(table).toContainText("SQLite");
    await expect(table).toContainText("Reachable");
    await expect(page).toHaveTitle("System status · Ferrobase");
    await page.getByTestId("status-refresh").click();
    await expect(table).toContainText("Ready");
  });

  await test.step("the set-up page is gone afterwards", async () => {
    await open(page, info, "/setup");
    await expect(page.getByText("This installation already has an administrator. Sign in instead.")).toBeVisible();
  });

  await test.step("an administrator creates a user", async () => {
    await open(page, info, "/admin/users");
    const form = page.getByTestId("new-user-form");
    await form.getByLabel("Email address", { exact: true }).fill("mia@example.org");
    await form.getByLabel("Name", { exact: true }).fill("Mia Member");
    await form.getByLabel("New password (at least 8 characters)", { exact: true }).fill("member password");
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByTestId("users-table")).toContainText("mia@example.org");
    await expect(page.getByTestId("users-table").getByRole("row", { name: /Mia Member/ })).toContainText("member");
  });

  await test.step("a bad email is refused inline and nothing is created", async () => {
    const form = page.getByTestId("new-user-form");
    await form.getByLabel("Email address", { exact: true }).fill("not-an-email@x");
    await form.getByLabel("Name", { exact: true }).fill("Nobody");
    await form.getByLabel("New password (at least 8 characters)", { exact: true }).fill("some password");
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(form.getByTestId("form-error")).toHaveText("The email address is not valid.");
    await expect(page.getByTestId("users-table")).not.toContainText("Nobody");
  });

  await test.step("an administrator creates a role that may read the audit log", async () => {
    await open(page, info, "/admin/roles");
    const form = page.getByTestId("new-role-form");
    await form.getByLabel("Identifier (lowercase letters, digits, - and _)", { exact: true }).fill("auditor");
    await form.getByLabel("Title", { exact: true }).fill("Auditor");
    await form.getByRole("button", { name: "Create role" }).click();
    await expect(page).toHaveURL(/\/admin\/roles\/auditor$/);
    await page.getByLabel("Audit log", { exact: true }).check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByTestId("form-saved")).toHaveText("Saved.");
  });

  await test.step("the user is given the role", async () => {
    await open(page, info, "/admin/users");
    await page.getByRole("link", { name: "Mia Member" }).click();
    await expect(page).toHaveURL(/\/admin\/users\/\d+$/);
    const form = page.getByTestId("edit-user-form");
    await form.getByLabel("Auditor", { exact: true }).check();
    await form.getByLabel("Member", { exact: true }).uncheck();
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(form.getByTestId("form-saved")).toHaveText("Saved.");
  });

  await test.step("sign out", async () => {
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.getByTestId("sign-in-link")).toBeVisible();
  });

  await test.step("the member sees the audit log and not the user pages", async () => {
    await open(page, info, "/signin");
    await signIn(page, "MIA@example.org", "member password");
    await expect(page.getByTestId("current-user")).toHaveText("Mia Member");
    const menu = page.getByRole("navigation", { name: "Main navigation" });
    await expect(menu.getByRole("link", { name: "Audit log" })).toBeVisible();
    await expect(menu.getByRole("link", { name: "Users" })).toHaveCount(0);
    await expect(menu.getByRole("link", { name: "System status" })).toHaveCount(0);
    await open(page, info, "/admin/users");
    await expect(page.getByText("Your role does not allow this page. Ask an administrator for access.")).toBeVisible();
    await expect(page.getByTestId("users-table")).toHaveCount(0);
    await open(page, info, "/admin/audit");
    const log = page.getByTestId("audit-table");
    await expect(log).toContainText("auth:signIn");
    await expect(log).toContainText("roles:create");
    await expect(log).not.toContainText("member password");
  });

  await test.step("sign out again; the pages ask for a sign-in", async () => {
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/signin$/);
    await open(page, info, "/admin/audit");
    await expect(page.getByTestId("sign-in-required")).toBeVisible();
  });

  expect(violations).toEqual([]);
});
