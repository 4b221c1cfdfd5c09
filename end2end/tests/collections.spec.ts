// An administrator designs a collection in the main data source, works
// with its records, adds a field, then deletes the collection. Runs on the
// data-sources server (its own administrator and store), hydrated only:
// the designer's forms are interactive.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { open } from "./support";

test.describe.configure({ mode: "serial" });

function collectPanics(page: Page) {
  const panics: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /panicked|hydration error/i.test(message.text())) {
      panics.push(message.text().slice(0, 400));
    }
  });
  return panics;
}

const rows = (page: Page) => page.getByTestId("records-table").locator("tbody tr");
// A record form's input for a column (the label also holds the required star).
const recordField = (form: Locator, name: string) => form.locator(`[data-field="${name}"]`).locator("input, select, textarea");

test("design a collection, use it, add a field, delete it", async ({ page }, info) => {
  test.setTimeout(120_000);
  const panics = collectPanics(page);
  // Remove and delete ask first; the test agrees.
  page.on("dialog", (dialog) => dialog.accept());

  await test.step("the administrator signs in and finds the collections page", async () => {
    await open(page, info, "/signin?next=/admin/collections");
    await page.getByLabel("Email address or username", { exact: true }).fill("admin@example.org");
    await page.getByLabel("Password", { exact: true }).fill("e2e admin password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin\/collections$/);
    await open(page, info, "/admin/collections");
    const menu = page.getByRole("navigation", { name: "Main navigation" });
    await expect(menu.getByRole("link", { name: "Collections", exact: true })).toBeVisible();
    await expect(page.getByTestId("new-collection-form")).toBeVisible();
  });

  const form = page.getByTestId("new-collection-form");
  const fieldRows = form.getByTestId("field-row");

  await test.step("a reserved name is refused with the service's reason", async () => {
    await form.getByTestId("collection-name").fill("users");
    await fieldRows.nth(0).getByTestId("field-name").fill("title");
    await form.getByTestId("create-collection").click();
    const error = form.getByTestId("form-error");
    await expect(error).toHaveAttribute("data-code", "INVALID_INPUT");
    await expect(error.getByTestId("form-error-detail")).toContainText("taken");
  });

  await test.step("create tasks with a required title and a state to choose", async () => {
    await form.getByTestId("collection-name").fill("tasks");
    await form.getByTestId("collection-title").fill("Tasks");
    const first = fieldRows.nth(0);
    await first.getByTestId("field-name").fill("title");
    await first.getByTestId("field-title").fill("Title");
    await first.getByTestId("field-required").check();
    await expect(first.getByTestId("field-options")).toBeHidden();
    await form.getByTestId("add-field-row").click();
    await expect(fieldRows).toHaveCount(2);
    const second = fieldRows.nth(1);
    await second.getByTestId("field-name").fill("state");
    await second.getByTestId("field-type").selectOption("select");
    await expect(second.getByTestId("field-options")).toBeVisible();
    await second.getByTestId("field-options").fill("open\ndone");
    // A third row, added and removed again.
    await form.getByTestId("add-field-row").click();
    await expect(fieldRows).toHaveCount(3);
    await fieldRows.nth(2).getByTestId("field-row-remove").click();
    await expect(fieldRows).toHaveCount(2);
    await form.getByTestId("create-collection").click();
    await expect(page).toHaveURL(/\/admin\/collections\/tasks$/);
    const fields = page.getByTestId("fields-table");
    await expect(fields.locator('[data-field="title"]')).toBeVisible();
    await expect(fields.locator('[data-field="state"]')).toBeVisible();
    await expect(fields.locator('[data-field="id"]').getByTestId("system-field")).toBeVisible();
    await expect(fields.locator('[data-field="id"]').getByTestId("remove-field")).toHaveCount(0);
  });

  await test.step("open its data page and create a record", async () => {
    await page.getByTestId("collection-data").click();
    await expect(page).toHaveURL(/\/data\/main\/tasks$/);
    await page.getByTestId("new-record").click();
    const record = page.getByTestId("record-form");
    await recordField(record, "title").fill("Write the designer");
    await recordField(record, "state").selectOption("open");
    await record.getByTestId("record-save").click();
    await expect(page).toHaveURL(/\/data\/main\/tasks\/[^/]+$/);
    await expect(page.getByTestId("record-detail")).toContainText("Write the designer");
    await open(page, info, "/data/main/tasks");
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText("Write the designer");
  });

  await test.step("add an optional field; the record keeps its values", async () => {
    await open(page, info, "/admin/collections");
    await expect(page.getByTestId("collections-table").locator('[data-name="tasks"]')).toBeVisible();
    await open(page, info, "/admin/collections/tasks");
    const add = page.getByTestId("add-field-form");
    await expect(add.getByTestId("field-required")).toHaveCount(0);
    await add.getByTestId("field-name").fill("due");
    await add.getByTestId("field-type").selectOption("date");
    await add.getByTestId("add-field").click();
    await expect(page.getByTestId("fields-table").locator('[data-field="due"]')).toBeVisible();
    await open(page, info, "/data/main/tasks");
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText("Write the designer");
  });

  await test.step("remove the added field", async () => {
    await open(page, info, "/admin/collections/tasks");
    const fields = page.getByTestId("fields-table");
    await fields.locator('[data-field="due"]').getByTestId("remove-field").click();
    await expect(fields.locator('[data-field="due"]')).toHaveCount(0);
  });

  await test.step("a collection another one links to cannot be deleted", async () => {
    await open(page, info, "/admin/collections");
    await form.getByTestId("collection-name").fill("notes");
    const row = fieldRows.nth(0);
    // The service names the column after the target: taskId.
    await row.getByTestId("field-name").fill("task");
    await row.getByTestId("field-type").selectOption("relation");
    await expect(row.getByTestId("field-target")).toBeVisible();
    await row.getByTestId("field-target").selectOption("tasks");
    await form.getByTestId("create-collection").click();
    await expect(page).toHaveURL(/\/admin\/collections\/notes$/);
    await expect(page.getByTestId("fields-table").locator('[data-field="taskId"]')).toContainText("tasks");
    await open(page, info, "/admin/collections/tasks");
    await page.getByTestId("delete-collection").click();
    const error = page.getByTestId("form-error");
    await expect(error).toHaveAttribute("data-code", "INVALID_INPUT");
    await expect(error.getByTestId("form-error-detail")).toContainText("notes has a relation to tasks");
    await open(page, info, "/admin/collections/notes");
    await page.getByTestId("delete-collection").click();
    await expect(page).toHaveURL(/\/admin\/collections$/);
  });

  await test.step("delete the collection", async () => {
    await open(page, info, "/admin/collections/tasks");
    await page.getByTestId("delete-collection").click();
    await expect(page).toHaveURL(/\/admin\/collections$/);
    await expect(page.locator('[data-name="tasks"]')).toHaveCount(0);
  });

  expect(panics).toEqual([]);
});
