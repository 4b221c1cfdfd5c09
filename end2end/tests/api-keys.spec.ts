// An administrator creates an API key in the UI, copies it, calls the REST
// API with it, rotates it, revokes it and sees the API refuse it; then the
// same page without JavaScript. Runs on the data-sources server (its own
// administrator and store).
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { open, screenshots } from "./support";

test.describe.configure({ mode: "serial" });


// A hydration mismatch or a panic leaves a page that looks right but no
// longer reacts; the browser console is where it shows.
function collectPanics(page: Page) {
  const panics: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /panicked|hydration error/i.test(message.text())) {
      panics.push(message.text().slice(0, 400));
    }
  });
  return panics;
}

// The request fixture shares no cookies with the page: the key alone signs it in.
const usersList = (request: APIRequestContext, token: string) =>
  request.get("/api/users:list", { headers: { Authorization: `Bearer ${token}` } });

const admin = { account: "admin@example.org", password: "e2e admin password" };

async function signIn(page: Page) {
  await page.getByLabel("Email address or username", { exact: true }).fill(admin.account);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("create a key, copy it, call the API, rotate it, revoke it", async ({ page, context, request, baseURL }, info) => {
  test.setTimeout(120_000);
  const panics = collectPanics(page);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  // Revoking asks first; the test agrees.
  page.on("dialog", (dialog) => dialog.accept());
  const form = page.getByTestId("new-api-key-form");
  const panel = page.getByTestId("issued-token");
  const row = page.locator('tr[data-key-name="E2E script"]');

  await test.step("the administrator signs in; the profile and the menu lead to the keys", async () => {
    await open(page, info, "/signin?next=/profile");
    await signIn(page);
    await expect(page).toHaveURL(/\/profile$/);
    await open(page, info, "/profile");
    await page.getByTestId("profile-api-keys").click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await open(page, info, "/settings/api-keys");
    const menu = page.getByRole("navigation", { name: "Main navigation" });
    await expect(menu.getByRole("link", { name: "API keys" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("api-keys-empty")).toBeVisible();
    await expect(page.getByTestId("keys-all-users")).toBeVisible();
    await expect(page.getByTestId("needs-javascript")).toHaveCount(0);
  });

  let token = "";
  await test.step("a name is required; a past date is refused with its translated reason", async () => {
    await form.getByLabel("Name", { exact: true }).fill("E2E script");
    await form.getByRole("combobox", { name: "Role", exact: true }).selectOption("admin");
    await expect(form.getByRole("combobox", { name: "Expires", exact: true })).toHaveValue("30d");
    await form.getByRole("combobox", { name: "Expires", exact: true }).selectOption("custom");
    await form.getByLabel("Expiry date", { exact: true }).fill("2020-01-01");
    await form.getByRole("button", { name: "Create API key" }).click();
    const error = form.getByTestId("form-error");
    await expect(error).toHaveAttribute("data-code", "API_KEY_EXPIRY_INVALID");
    await expect(error).toContainText("a date must lie in the future");
    await expect(panel).toHaveCount(0);
  });

  await test.step("create the key: the token is shown once and the copy button works", async () => {
    await form.getByRole("combobox", { name: "Expires", exact: true }).selectOption("7d");
    await expect(form.getByLabel("Expiry date", { exact: true })).toHaveCount(0);
    await expect(form.getByLabel("Service account (optional)", { exact: true })).toBeVisible();
    await form.getByRole("button", { name: "Create API key" }).click();
    await expect(panel).toBeVisible();
    await expect(panel).toContainText("This is the only time Ferrobase shows it");
    token = await panel.getByLabel("Your API key", { exact: true }).inputValue();
    expect(token).toMatch(/^fbk_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    await panel.getByRole("button", { name: "Copy", exact: true }).click();
    const status = panel.getByTestId("copy-status");
    await expect(status).toHaveAttribute("data-state", "copied");
    await expect(status).toHaveText("Copied to the clipboard.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await expect(form.getByLabel("Name", { exact: true })).toHaveValue("");
    await expect(page.getByTestId("api-keys-empty")).toHaveCount(0);
    await expect(row.getByTestId("key-status")).toHaveAttribute("data-status", "active");
    await expect(row).toContainText(token.slice(0, "fbk_".length + 12));
    await expect(row).toContainText("admin@example.org");
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: resolve(screenshots, "api-keys.png"), fullPage: true });
  });

  await test.step("the API accepts the key", async () => {
    expect((await usersList(request, token)).status()).toBe(200);
  });

  await test.step("Done hides the token for good", async () => {
    await panel.getByRole("button", { name: "Done" }).click();
    await expect(panel).toHaveCount(0);
    await open(page, info, "/settings/api-keys");
    expect(await page.content()).not.toContain(token.slice(-43));
  });

  await test.step("rotate without a grace period: the old token stops, the new one works", async () => {
    await row.getByText("Rotate", { exact: true }).click();
    await row.getByRole("combobox", { name: "The old secret keeps working" }).selectOption("0");
    await row.getByRole("button", { name: "Issue a new secret" }).click();
    await expect(panel).toBeVisible();
    const rotated = await panel.getByLabel("Your API key", { exact: true }).inputValue();
    expect(rotated).not.toBe(token);
    expect(rotated.slice(0, 17)).toBe(token.slice(0, 17));
    expect((await usersList(request, token)).status()).toBe(401);
    expect((await usersList(request, rotated)).status()).toBe(200);
    token = rotated;
    // Its work done, the rotate panel closed.
    await expect(row.getByTestId("rotate-key")).not.toHaveAttribute("open", "");
    await panel.getByRole("button", { name: "Done" }).click();
  });

  await test.step("an open Rotate panel stays with its key when a new key moves the rows", async () => {
    await row.getByText("Rotate", { exact: true }).click();
    await expect(row.getByTestId("rotate-key")).toHaveAttribute("open", "");
    await form.getByLabel("Name", { exact: true }).fill("E2E second");
    await form.getByRole("combobox", { name: "Role", exact: true }).selectOption("admin");
    await form.getByRole("button", { name: "Create API key" }).click();
    await expect(panel).toBeVisible();
    const second = page.locator('tr[data-key-name="E2E second"]');
    // Newest first: the new key took the first row.
    await expect(page.getByTestId("api-keys-table").locator("tbody tr").first()).toHaveAttribute("data-key-name", "E2E second");
    await expect(second.getByTestId("rotate-key")).not.toHaveAttribute("open", "");
    await expect(row.getByTestId("rotate-key")).toHaveAttribute("open", "");
    await panel.getByRole("button", { name: "Done" }).click();
    await row.getByText("Rotate", { exact: true }).click();
    await expect(row.getByTestId("rotate-key")).not.toHaveAttribute("open", "");
  });

  await test.step("revoke it in the UI: the next request is refused", async () => {
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect(row.getByTestId("key-status")).toHaveAttribute("data-status", "revoked");
    await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);
    expect((await usersList(request, token)).status()).toBe(401);
  });

  expect(panics).toEqual([]);
});

// A new token can only be shown by the running page, but the list and
// revoking are plain HTML: the revoke button posts a form.
test("without JavaScript the keys are listed and revoking works", async ({ browser, request, baseURL }) => {
  const session = (await (await request.post("/api/auth:signIn", { data: admin })).json()).data.token;
  const body = { name: "No-JS key", role: { name: "member" }, expiresIn: "1d" };
  const created = await request.post("/api/apiKeys:create", { headers: { Authorization: `Bearer ${session}` }, data: body });
  const token = (await created.json()).data.token;
  const check = () => request.get("/api/roles:check", { headers: { Authorization: `Bearer ${token}` } });
  expect((await check()).status()).toBe(200);

  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/signin?next=/settings/api-keys");
  await signIn(page);
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(page.getByTestId("needs-javascript")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create API key" })).toBeDisabled();
  const row = page.locator('tr[data-key-name="No-JS key"]');
  await expect(row.getByTestId("key-status")).toHaveAttribute("data-status", "active");
  await row.getByRole("button", { name: "Revoke" }).click();
  // The server function sends the browser back where it came from (with an
  // empty query string: Leptos strips its own error parameters).
  await expect(page).toHaveURL(/\/settings\/api-keys\??$/);
  await expect(row.getByTestId("key-status")).toHaveAttribute("data-status", "revoked");
  expect((await check()).status()).toBe(401);
  await context.close();
});
