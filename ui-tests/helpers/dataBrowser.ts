/**
 * Steps in the data browser shared by its Galata spec and its benchmark, so both
 * measure and test the same clicks.
 */
import { expect } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

export const PANEL = '#cloudscapes-data-browser';

/**
 * Run a command of the lab, as the palette would.
 */
export async function run(page: Page, command: string): Promise<void> {
  await page.evaluate(
    (id: string) => (window as any).jupyterapp.commands.execute(id),
    command
  );
}

/**
 * Open the data browser panel and wait until it is shown.
 */
export async function openBrowser(page: Page): Promise<Locator> {
  await run(page, 'cloudscapes-data:open');
  const panel = page.locator(PANEL);
  await expect(panel).toBeVisible();
  return panel;
}

/**
 * In the S3 tab, open the demo public bucket's `many/` folder and wait until the
 * listing counts its first 1,000 objects; returns the listing.
 */
export async function openManyListing(
  panel: Locator,
  timeout?: number
): Promise<Locator> {
  await panel.locator('[role=tab][data-tab="s3"]').click();
  await panel
    .locator('.cs-S3View-source')
    .selectOption('public:demo-public-data');
  const list = panel.locator('.cs-S3Listing-list');
  await list.locator('.cs-DataList-row[data-key="many/"]').click();
  await expect(panel.locator('.cs-PagedResults-count').last()).toContainText(
    '1,000',
    timeout === undefined ? undefined : { timeout }
  );
  return list;
}
