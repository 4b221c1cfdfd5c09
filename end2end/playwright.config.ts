// End-to-end tests against the real release server in Debian's chromium.
// Two projects: "hydrated" (JavaScript on: the WASM takes over the page) and
// "no-js" (server-rendered HTML only). `npx playwright install` cannot work
// on our machines, so the system chromium is used.
import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const port = Number(process.env.E2E_PORT ?? 3917);
const baseURL = `http://127.0.0.1:${port}`;
// A second server whose first administrator comes from the environment, for
// the sign-in tests that must not depend on the first-run flow.
const adminPort = port + 1;
export const adminURL = `http://127.0.0.1:${adminPort}`;
// A third server for the data source tests: its own administrator and store,
// so connecting external databases cannot disturb the other specs.
const dataPort = port + 2;
export const dataURL = `http://127.0.0.1:${dataPort}`;
// Workers inherit the environment, so they all agree on fresh folders.
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "ferrobase-e2e-"));
process.env.E2E_ADMIN_DATA_DIR ??= mkdtempSync(join(tmpdir(), "ferrobase-e2e-admin-"));
process.env.E2E_SOURCES_DATA_DIR ??= mkdtempSync(join(tmpdir(), "ferrobase-e2e-sources-"));
const root = resolve(__dirname, "..");
const server = `${process.env.E2E_SERVER_BIN ?? `${root}/target/release/ferrobase`} serve`;
const siteRoot = process.env.E2E_SITE_ROOT ?? `${root}/target/site`;

export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  // Generous: the first page of a run compiles the WASM bundle while three
  // servers start on two cores; a slow start must not read as a failure.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  workers: 2,
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "hydrated", testMatch: [/shell\.spec\.ts/, /hydrated\.spec\.ts/, /first-run\.spec\.ts/] },
    { name: "no-js", testMatch: [/shell\.spec\.ts/, /no-js\.spec\.ts/], use: { javaScriptEnabled: false } },
    {
      name: "no-js-sign-in",
      testMatch: [/password-sign-in\.spec\.ts/],
      use: { javaScriptEnabled: false, baseURL: adminURL },
    },
    {
      name: "data-sources",
      testMatch: [/data-sources\.spec\.ts/, /collections\.spec\.ts/, /api-keys\.spec\.ts/, /api-docs\.spec\.ts/, /first-load\.spec\.ts/, /layout\.spec\.ts/],
      use: { baseURL: dataURL },
    },
  ],
  webServer: [
    {
      command: server,
      url: `${baseURL}/readyz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        FERROBASE_ADDR: `127.0.0.1:${port}`,
        FERROBASE_SITE_ROOT: siteRoot,
        DATABASE_URL: `sqlite://${process.env.E2E_DATA_DIR}/ferrobase.db`,
        FERROBASE_LOG: "warn",
      },
    },
    {
      command: server,
      url: `${adminURL}/readyz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        FERROBASE_ADDR: `127.0.0.1:${adminPort}`,
        FERROBASE_SITE_ROOT: siteRoot,
        DATABASE_URL: `sqlite://${process.env.E2E_ADMIN_DATA_DIR}/ferrobase.db`,
        FERROBASE_LOG: "warn",
        FERROBASE_ADMIN_EMAIL: "admin@example.org",
        FERROBASE_ADMIN_PASSWORD: "e2e admin password",
      },
    },
    {
      command: server,
      url: `${dataURL}/readyz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        FERROBASE_ADDR: `127.0.0.1:${dataPort}`,
        FERROBASE_SITE_ROOT: siteRoot,
        DATABASE_URL: `sqlite://${process.env.E2E_SOURCES_DATA_DIR}/ferrobase.db`,
        FERROBASE_LOG: "warn",
        FERROBASE_ADMIN_EMAIL: "admin@example.org",
        FERROBASE_ADMIN_PASSWORD: "e2e admin password",
      },
    },
  ],
});
