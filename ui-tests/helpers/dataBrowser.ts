/**
 * Steps in the data browser shared by its Galata spec and its benchmark, so both
 * measure and test the same clicks.
 */
import { expect } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

export const PANEL = '#cloudscapes-data-browser';
export const EARTHDATA = '#cloudscapes-earthdata-panel';

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

/**
 * Sign in to the Earthdata Login stand-in (once: a signed-in panel is left as is).
 */
export async function signIn(page: Page): Promise<void> {
  await run(page, 'cloudscapes-earthdata:open');
  const panel = page.locator(EARTHDATA);
  const signOut = panel.getByRole('button', { name: 'Sign out' });
  await expect(
    panel.getByRole('textbox', { name: 'Username' }).or(signOut)
  ).toBeVisible();
  if (await signOut.isVisible()) {
    return;
  }
  await panel.getByRole('textbox', { name: 'Username' }).fill('demo');
  await panel.getByRole('textbox', { name: 'Password' }).fill('s3cret #1');
  await panel.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(panel.locator('.cs-EarthdataCard-name')).toHaveText('Demo User');
}

/**
 * The text output of notebook cell `cell`, lines joined.
 */
export async function outputText(page: Page, cell: number): Promise<string> {
  const output = await page.notebook.getCellTextOutput(cell);
  return (output ?? []).join('\n');
}

/**
 * Search the collections for `shortName` (cloud-hosted ones only, or all) and
 * open it; resolves the granule rows once the first is shown.
 */
export async function openCollection(
  panel: Locator,
  shortName: string,
  options: { cloudHostedOnly?: boolean } = {}
): Promise<Locator> {
  await panel.locator('[role=tab][data-tab="search"]').click();
  const cloud = panel.locator('.cs-DataSearch-cloudHosted');
  await cloud.setChecked(options.cloudHostedOnly ?? true);
  await panel.locator('.cs-DataSearch-keyword').fill(shortName);
  await panel.locator('.cs-DataSearch-submit').click();
  await panel
    .locator('.cs-CollectionResults-list .cs-DataList-row', {
      hasText: `${shortName} v`
    })
    .first()
    .click();
  await expect(panel.locator('.cs-CollectionView-shortName')).toContainText(
    shortName
  );
  const granules = panel.locator(
    '.cs-CollectionView-granules .cs-DataList-row'
  );
  await expect(granules.first()).toBeVisible();
  return granules;
}
