import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboardServer, type DashboardServer } from "../src/create-dashboard-server.js";
import {
  appendEvents,
  makeEvent,
  sampleEvents,
  writeSnapshotFile,
  writeState,
} from "../src/test-fixtures.js";
import { hasChromium, launchChromium } from "./browser.js";

/** What the page callbacks use of the browser window (this package compiles without the DOM lib). */
const POLL = { timeout: 15_000 };

type Win = { getComputedStyle(el: unknown): { fill: string }; weftMarker?: number };

const available = hasChromium();
if (!available) {
  console.warn(
    "chromium not found at /usr/bin/chromium: the dashboard browser test is SKIPPED (apt-get install -y chromium)",
  );
}

describe.skipIf(!available)("weft serve dashboard in a real browser (OBS-002)", () => {
  let browser: Browser;
  let server: DashboardServer;
  let log: string;
  let current: string;

  beforeAll(async () => {
    const files = writeState(mkdtempSync(join(tmpdir(), "weft-browser-")), sampleEvents());
    log = files.log;
    current = files.current;
    server = await createDashboardServer({ files, port: 0, pollIntervalMs: 50 });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows a running task and recolors it when task_completed is appended, without reloading", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(server.url);
    const node = page.locator('.node[data-task="a2"]');
    await expect.poll(() => node.getAttribute("data-status"), POLL).toBe("running");
    const runningFill = await node
      .locator("rect")
      .evaluate((r) => (globalThis as unknown as Win).getComputedStyle(r).fill);
    expect(runningFill).toBe("rgb(96, 165, 250)"); // STATUS_COLORS.running
    await page.locator("#conn[data-state='live']").waitFor({ timeout: 15_000 });
    // The backlog fills the event list.
    await expect.poll(() => page.locator("#events li[data-seq]").count(), POLL).toBeGreaterThan(5);

    // Mark the page: a reload would lose this property.
    await page.evaluate(() => {
      (globalThis as unknown as Win).weftMarker = 42;
    });
    const completedA2 = makeEvent(15, "2026-03-01T10:00:50.000Z", {
      event: "task_completed",
      entity_type: "task",
      entity_id: "a2",
      workstream_id: "ws-a",
      from_state: "running",
      to_state: "completed",
    });
    appendEvents(log, [completedA2]);
    await expect.poll(() => node.getAttribute("data-status"), POLL).toBe("completed");
    await expect
      .poll(
        () => node.locator("rect").evaluate((r) => (globalThis as unknown as Win).getComputedStyle(r).fill),
        POLL,
      )
      .toBe("rgb(134, 239, 172)");
    expect(await node.locator(".st").textContent()).toBe("lint · completed");
    expect(await page.evaluate(() => (globalThis as unknown as Win).weftMarker)).toBe(42);
    expect(await page.locator('.ws[data-ws="ws-a"] .counts').textContent()).toContain("2/3 completed");
    expect(await page.locator("#events li").first().textContent()).toContain("task_completed");

    // A task the picture does not know yet makes the page fetch the new graph (still no reload).
    const a4 = makeEvent(16, "2026-03-01T10:00:51.000Z", {
      event: "task_registered",
      entity_type: "task",
      entity_id: "a4",
      workstream_id: "ws-a",
      to_state: "queued",
      metadata: { record: { type: "custom", dependencies: ["a2"] } },
    });
    writeSnapshotFile(current, [...sampleEvents(), completedA2, a4]);
    appendEvents(log, [a4]);
    await expect
      .poll(() => page.locator('.node[data-task="a4"]').getAttribute("data-status"), POLL)
      .toBe("queued");
    expect(await page.evaluate(() => (globalThis as unknown as Win).weftMarker)).toBe(42);
    expect(await page.locator('.node[data-task="a2"]').getAttribute("data-status")).toBe("completed");

    expect(errors).toEqual([]);
    const origin = new URL(server.url).origin;
    expect(requests.every((u) => u.startsWith(origin))).toBe(true);
    await page.close();
  }, 60_000);

  it("with a token, the page passes ?token= on to its own requests (stream and API)", async () => {
    const files = writeState(mkdtempSync(join(tmpdir(), "weft-browser-")), sampleEvents());
    const guarded = await createDashboardServer({ files, port: 0, pollIntervalMs: 50, token: "tok-123" });
    try {
      const page = await browser.newPage();
      const statuses: number[] = [];
      page.on("response", (r) => statuses.push(r.status()));
      const denied = await page.goto(guarded.url);
      expect(denied?.status()).toBe(401);
      await page.goto(`${guarded.url}?token=tok-123`);
      await page.locator("#conn[data-state='live']").waitFor({ timeout: 15_000 });
      await expect.poll(() => page.locator("#events li[data-seq]").count(), POLL).toBeGreaterThan(5);
      appendEvents(files.log, [
        makeEvent(15, "2026-03-01T10:00:50.000Z", {
          event: "task_failed",
          entity_type: "task",
          entity_id: "a2",
          workstream_id: "ws-a",
          severity: "error",
          from_state: "running",
          to_state: "failed",
          metadata: { error_message: "exit code 2" },
        }),
      ]);
      await expect
        .poll(() => page.locator('.node[data-task="a2"]').getAttribute("data-status"), POLL)
        .toBe("failed");
      expect(await page.locator("#events li").first().textContent()).toContain("exit code 2");
      // The metrics tiles refresh after events through /api/metrics?token=…
      await expect.poll(() => page.locator("#m-errors").textContent(), POLL).toBe("2");
      expect(statuses.filter((s) => s === 401)).toHaveLength(1);
      await page.close();
    } finally {
      await guarded.close();
    }
  }, 60_000);

  it("a workstream too big to draw shows counts that follow the run", async () => {
    const t0 = "2026-03-01T10:00:00.000Z";
    const many = Array.from({ length: 301 }, (_, i) =>
      makeEvent(i + 1, t0, {
        event: "task_registered",
        entity_type: "task",
        entity_id: `t${i}`,
        workstream_id: "big",
        to_state: "pending",
      }),
    );
    const files = writeState(mkdtempSync(join(tmpdir(), "weft-browser-")), many);
    const big = await createDashboardServer({ files, port: 0, pollIntervalMs: 50 });
    try {
      const page = await browser.newPage();
      await page.goto(big.url);
      const card = page.locator('.ws[data-ws="big"]');
      expect(await card.getAttribute("data-drawn")).toBe("false");
      expect(await card.locator(".note").textContent()).toContain("301 tasks exceed the drawing limit");
      await page.locator("#conn[data-state='live']").waitFor({ timeout: 15_000 });
      const done = makeEvent(302, "2026-03-01T10:00:05.000Z", {
        event: "task_completed",
        entity_type: "task",
        entity_id: "t0",
        workstream_id: "big",
        from_state: "running",
        to_state: "completed",
      });
      writeSnapshotFile(files.current, [...many, done]);
      appendEvents(files.log, [done]);
      await expect.poll(() => card.locator(".counts").textContent(), POLL).toContain("1/301 completed");
      await page.close();
    } finally {
      await big.close();
    }
  }, 60_000);
});
