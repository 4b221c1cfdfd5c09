// The API explorer: from the menu to /api-docs, where the signed-in
// administrator expands a collection's `list`, tries it and sees its rows,
// all under the page's strict Content-Security-Policy. Runs on the
// data-sources server (its own administrator and store).
import { expect, test } from "@playwright/test";

const COLLECTION = "docs_items";

test("expand a collection's list in the explorer, try it, see rows", async ({ page, context, request, baseURL }) => {
  const refused: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && page.url().includes("/api-docs")) {
      refused.push(message.text().slice(0, 300));
    }
  });

  await test.step("an administrator with a collection of one row, signed in", async () => {
    const signIn = await request.post("/api/auth:signIn", {
      data: { account: "admin@example.org", password: "e2e admin password" },
    });
    expect(signIn.status()).toBe(200);
    const token: string = (await signIn.json()).data.token;
    const auth = { Authorization: `Bearer ${token}` };
    const created = await request.post("/api/collections:create", {
      headers: auth,
      data: { name: COLLECTION, title: "Docs items", fields: [{ name: "label", type: "text", required: true }] },
    });
    expect(created.status()).toBe(200);
    const row = await request.post(`/api/${COLLECTION}:create`, { headers: auth, data: { label: "Visible in the explorer" } });
    expect(row.status()).toBe(200);
    await context.addCookies([{ name: "fb_session", value: token, url: baseURL! }]);
  });

  await test.step("the menu leads to the explorer, outside the app's routes", async () => {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "API documentation" }).click();
    await expect(page).toHaveURL(/\/api-docs$/);
  });

  const list = page.locator(`#operations-${COLLECTION}-records_${COLLECTION}_list`);
  await test.step("the collection's list, tried as the signed-in session", async () => {
    await page.locator(`.opblock-tag[data-tag="${COLLECTION}"]`).click();
    await list.locator(".opblock-summary").click();
    await list.locator(".execute").click();
    await expect(list.locator(".live-responses-table tbody .response-col_status").first()).toHaveText("200");
    await expect(list.locator(".live-responses-table")).toContainText("Visible in the explorer");
  });

  expect(refused, "console errors (a CSP refusal shows here)").toEqual([]);
});
