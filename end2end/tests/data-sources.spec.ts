// An administrator connects an external PostgreSQL database, loads two of
// its tables, works with the rows, then changes the database behind
// Ferrobase's back and applies the refresh report. The database is a
// throwaway one made with psql on the server TEST_POSTGRES_URL names.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { open, screenshots } from "./support";

test.describe.configure({ mode: "serial" });

// The server .ci/test already requires (TEST_POSTGRES_URL), unless E2E_PG_* say otherwise.
const testUrl = new URL(process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
const pg = {
  host: process.env.E2E_PG_HOST ?? testUrl.hostname,
  port: process.env.E2E_PG_PORT ?? (testUrl.port || "5432"),
  user: process.env.E2E_PG_USER ?? decodeURIComponent(testUrl.username || "postgres"),
  password: process.env.E2E_PG_PASSWORD ?? decodeURIComponent(testUrl.password),
};
const database = `ferrobase_e2e_${process.pid}_${Date.now()}`;
const shot = (page: Page, name: string) => page.screenshot({ path: resolve(screenshots, name), fullPage: true });

function psql(sql: string, db = database) {
  execFileSync("psql", ["-h", pg.host, "-p", pg.port, "-U", pg.user, "-d", db, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], {
    env: { ...process.env, PGPASSWORD: pg.password },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function postgresReachable() {
  try {
    psql("SELECT 1", "postgres");
    return true;
  } catch {
    return false;
  }
}

test.beforeAll(() => {
  test.skip(!postgresReachable(), `psql cannot reach PostgreSQL at ${pg.host}:${pg.port} as ${pg.user}`);
  mkdirSync(screenshots, { recursive: true });
  psql(`CREATE DATABASE ${database}`, "postgres");
  psql(`
    CREATE TABLE authors (id serial PRIMARY KEY, name text NOT NULL);
    CREATE TABLE books (
      id serial PRIMARY KEY,
      title varchar(100) NOT NULL,
      pages integer,
      published date,
      available boolean NOT NULL DEFAULT true,
      author_id integer REFERENCES authors (id),
      code uuid
    );
    INSERT INTO authors (name) VALUES ('Ursula K. Le Guin'), ('Stanisław Lem');
    INSERT INTO books (title, pages, published, available, author_id) VALUES
      ('The Dispossessed', 387, '1974-05-01', true, 1),
      ('Solaris', 204, '1961-01-01', true, 2),
      ('The Lathe of Heaven', 184, '1971-01-01', false, 1);
  `);
});

test.afterAll(() => {
  if (postgresReachable()) {
    psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, "postgres");
  }
});

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

const rows = (page: Page) => page.getByTestId("records-table").locator("tbody tr");
// A record form's input for a column (the label also holds the required star).
const field = (form: Locator, name: string) => form.locator(`[data-field="${name}"]`).locator("input, select, textarea");

test("connect PostgreSQL, load tables, edit rows, refresh after ALTER TABLE", async ({ page }, info) => {
  test.setTimeout(180_000);
  const panics = collectPanics(page);

  await test.step("the administrator signs in and finds the data source pages", async () => {
    await open(page, info, "/signin?next=/admin/data-sources");
    await page.getByLabel("Email address or username", { exact: true }).fill("admin@example.org");
    await page.getByLabel("Password", { exact: true }).fill("e2e admin password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin\/data-sources$/);
    await open(page, info, "/admin/data-sources");
    const menu = page.getByRole("navigation", { name: "Main navigation" });
    await expect(menu.getByRole("link", { name: "Data sources" })).toBeVisible();
    await expect(menu.getByRole("link", { name: "Data", exact: true })).toBeVisible();
    await expect(page.getByTestId("data-sources-empty")).toBeVisible();
    await expect(page.getByTestId("data-sources-table")).toContainText("main");
  });

  const form = page.getByTestId("data-source-form");

  await test.step("TLS starts at verify-full; a wrong database name fails the connection test with the reason", async () => {
    await page.getByTestId("add-data-source").click();
    await expect(page).toHaveURL(/\/admin\/data-sources\/new$/);
    await form.getByLabel("Key", { exact: true }).fill("e2e");
    await form.getByLabel("Name", { exact: true }).fill("E2E library");
    await expect(form.getByRole("combobox", { name: "Database engine", exact: true })).toHaveValue("postgres");
    await expect(form.getByLabel("Port", { exact: true })).toHaveAttribute("placeholder", "5432");
    await form.getByLabel("Host", { exact: true }).fill(pg.host);
    await form.getByLabel("Port", { exact: true }).fill(pg.port);
    await form.getByLabel("Database name", { exact: true }).fill(`${database}_missing`);
    await form.getByLabel("Database user", { exact: true }).fill(pg.user);
    if (pg.password) await form.getByLabel("Password", { exact: true }).fill(pg.password);
    const tls = form.getByRole("combobox", { name: "Encryption (TLS)", exact: true });
    await expect(tls).toHaveValue("verify-full");
    // New sources verify certificates; a plain connection to this machine's
    // server is chosen on purpose.
    await tls.selectOption("disable");
    await form.getByTestId("test-connection").click();
    const error = form.getByTestId("form-error");
    await expect(error).toHaveAttribute("data-code", "CONNECTION_FAILED");
    await expect(error.getByTestId("form-error-detail")).toContainText("does not exist");
  });

  await test.step("SQLite asks for a file path only", async () => {
    await form.getByRole("combobox", { name: "Database engine", exact: true }).selectOption("sqlite");
    await expect(form.getByLabel("Database file path", { exact: true })).toBeVisible();
    await expect(form.getByLabel("Host", { exact: true })).toHaveCount(0);
    await form.getByRole("combobox", { name: "Database engine", exact: true }).selectOption("kingbase");
    await expect(form.getByTestId("engine-experimental")).toBeVisible();
    await form.getByRole("combobox", { name: "Database engine", exact: true }).selectOption("postgres");
  });

  await test.step("the right settings pass the test and are saved", async () => {
    await form.getByLabel("Database name", { exact: true }).fill(database);
    await form.getByTestId("test-connection").click();
    await expect(form.getByTestId("form-saved")).toHaveText("The connection works.");
    await shot(page, "data-source-form.png");
    await form.getByRole("button", { name: "Add data source" }).click();
    await expect(page).toHaveURL(/\/admin\/data-sources\/e2e$/);
    await expect(page.getByTestId("source-live-status").getByTestId("source-status")).toHaveAttribute("data-status", "loaded");
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
    await expect(page.getByTestId("collections-empty")).toBeVisible();
  });

  await test.step("read the tables and load two of them", async () => {
    await page.getByTestId("read-tables").click();
    const choices = page.getByTestId("table-choices");
    await expect(choices).toContainText("authors");
    await expect(choices).toContainText("books");
    await choices.locator('input[data-table="authors"]').check();
    await choices.locator('input[data-table="books"]').check();
    await page.getByTestId("load-tables").click();
    await expect(page.getByTestId("tables-section").getByTestId("form-saved")).toBeVisible();
    await expect(choices.getByTestId("table-loaded")).toHaveCount(2);
    const collections = page.getByTestId("collections-table");
    await expect(collections).toContainText("authors");
    await expect(collections).toContainText("books");
  });

  await test.step("the collections are listed under Data", async () => {
    await open(page, info, "/data");
    const group = page.locator('[data-testid="data-source-group"][data-source="e2e"]');
    await expect(group.getByRole("link", { name: "books" })).toBeVisible();
    await group.getByRole("link", { name: "books" }).click();
    await expect(page).toHaveURL(/\/data\/e2e\/books$/);
    await expect(rows(page)).toHaveCount(3);
    await expect(page.getByTestId("paging-summary")).toHaveText("Page 1 of 1 · 3 in total");
    await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
    await page.getByTestId("page-size").selectOption("10");
    await expect(page).toHaveURL(/pageSize=10/);
    await expect(rows(page)).toHaveCount(3);
    await shot(page, "data-table.png");
  });

  await test.step("headers sort, a second click reverses", async () => {
    await page.locator('button[data-sort="pages"]').click();
    await expect(rows(page).first()).toContainText("The Lathe of Heaven");
    await page.locator('button[data-sort="pages"]').click();
    await expect(rows(page).first()).toContainText("The Dispossessed");
    await expect(page).toHaveURL(/sort=-pages/);
  });

  await test.step("the filter builder writes the API's filter", async () => {
    await page.getByTestId("filter-add").click();
    const condition = page.getByTestId("filter-row").first();
    await condition.getByTestId("filter-field").selectOption("title");
    await expect(condition.getByTestId("filter-operator")).toHaveValue("$includes");
    await condition.getByTestId("filter-value").fill("sol");
    await page.getByTestId("filter-apply").click();
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText("Solaris");
    await expect(page.getByTestId("filter-json")).toHaveText('{"$and":[{"title":{"$includes":"sol"}}]}');

    await condition.getByTestId("filter-field").selectOption("pages");
    await condition.getByTestId("filter-operator").selectOption("$between");
    await condition.getByTestId("filter-value").nth(0).fill("150");
    await condition.getByTestId("filter-value").nth(1).fill("250");
    await page.getByTestId("filter-apply").click();
    await expect(rows(page)).toHaveCount(2);

    await page.getByTestId("filter-clear").click();
    await expect(rows(page)).toHaveCount(3);
  });

  const record = page.getByTestId("record-form");

  await test.step("a value the column refuses is shown at its field", async () => {
    await page.getByTestId("new-record").click();
    await field(record, "title").fill("Fiasco");
    await field(record, "code").fill("not-a-uuid");
    await record.getByTestId("record-save").click();
    await expect(record.locator('[data-field="code"]').getByTestId("field-error")).toHaveText("must be a UUID");
    await expect(record.getByTestId("form-error")).toHaveAttribute("data-code", "INVALID_VALUE");
  });

  await test.step("create a record; it opens with its relation as a link", async () => {
    await field(record, "code").fill("");
    await field(record, "pages").fill("322");
    await field(record, "published").fill("1986-01-01");
    await field(record, "author_id").fill("2");
    await record.getByTestId("record-save").click();
    await expect(page).toHaveURL(/\/data\/e2e\/books\/\d+$/);
    const detail = page.getByTestId("record-detail");
    await expect(detail).toContainText("Fiasco");
    await expect(detail.locator('[data-field="available"]')).toContainText("Yes");
    await expect(detail.locator('a[href="/data/e2e/authors/2"]')).toBeVisible();
  });

  await test.step("edit the record", async () => {
    await page.getByTestId("edit-record").click();
    await field(record, "pages").fill("323");
    await record.getByTestId("record-save").click();
    await expect(record).toHaveCount(0);
    await expect(page.getByTestId("record-detail").locator('[data-field="pages"]')).toContainText("323");
  });

  await test.step("delete the record after confirming", async () => {
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByTestId("delete-record").click();
    await expect(page).toHaveURL(/\/data\/e2e\/books$/);
    await expect(rows(page)).toHaveCount(3);
  });

  await test.step("after ALTER TABLE, refresh reports the difference; applying it updates the collection", async () => {
    psql(`
      ALTER TABLE books ADD COLUMN isbn text;
      ALTER TABLE books DROP COLUMN published;
      ALTER TABLE books ALTER COLUMN pages TYPE bigint;
      CREATE TABLE reviews (id serial PRIMARY KEY, body text);
    `);
    await open(page, info, "/admin/data-sources/e2e");
    await page.getByTestId("refresh-source").click();
    const report = page.getByTestId("diff-report");
    await expect(report.getByTestId("diff-tables-added")).toContainText("reviews");
    const books = report.locator('[data-testid="diff-table"][data-table="books"]');
    await expect(books).toContainText("isbn");
    await expect(books).toContainText("published");
    await expect(books.locator('[data-column="pages"]')).toContainText("→");
    await shot(page, "data-source-refresh.png");
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByTestId("apply-refresh").click();
    await expect(page.getByTestId("refresh-section").getByTestId("form-saved")).toHaveText("The changes are applied.");
    await expect(page.getByTestId("collections-table")).toContainText("reviews");
    await page.getByTestId("refresh-source").click();
    await expect(page.getByTestId("diff-empty")).toHaveText("No changes: the loaded collections match the database.");

    await open(page, info, "/data/e2e/books");
    await expect(page.locator('button[data-sort="isbn"]')).toBeVisible();
    await expect(page.locator('button[data-sort="published"]')).toHaveCount(0);
  });

  await test.step("server-rendered pages hydrate and stay interactive", async () => {
    await page.locator('button[data-sort="title"]').click();
    await expect(rows(page).first()).toContainText("Solaris");
    await open(page, info, "/data/e2e/books/1");
    await expect(page.getByTestId("record-detail")).toContainText("The Dispossessed");
    await page.getByTestId("edit-record").click();
    await expect(page.getByTestId("record-form")).toBeVisible();
    await page.getByTestId("record-form").getByRole("button", { name: "Cancel" }).click();
    await page.getByTestId("record-detail").locator('a[href="/data/e2e/authors/1"]').click();
    await expect(page.getByTestId("record-detail")).toContainText("Ursula K. Le Guin");
  });

  await test.step("deleting the data source leaves the database alone", async () => {
    await open(page, info, "/admin/data-sources/e2e");
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByTestId("delete-data-source").click();
    await expect(page).toHaveURL(/\/admin\/data-sources$/);
    await expect(page.getByTestId("data-sources-table").locator('tr[data-key="e2e"]')).toHaveCount(0);
    psql("SELECT count(*) FROM books");
  });

  expect(panics).toEqual([]);
});
