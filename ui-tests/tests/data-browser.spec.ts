import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';

import {
  openBrowser,
  openManyListing,
  outputText,
  PANEL,
  signIn
} from '../helpers/dataBrowser';

/**
 * The files of `pkg` the page fetches from now on (a reload starts afresh).
 */
function fetchedFiles(page: Page, pkg: string): string[] {
  const files: string[] = [];
  page.on('response', response => {
    const match = response
      .url()
      .match(new RegExp(`/lab/extensions/@cloudscapes/${pkg}/static/([^?]+)`));
    if (match) {
      files.push(match[1]);
    }
  });
  return files;
}

test('the Data panel, its map and Leaflet load when the panel is first shown, not at start', async ({
  page
}) => {
  const files = fetchedFiles(page, 'data-browser');
  await page.reload();
  await page.evaluate(() => (window as any).jupyterapp.restored);
  // what hidden panels would fetch after the restore has had its time
  await page.waitForTimeout(1000);
  // the extension itself is there (its plugins activated), its view is not
  expect(files.some(f => f.startsWith('remoteEntry.'))).toBe(true);
  expect(files.filter(f => /leaflet|MapView|lib_view/.test(f))).toEqual([]);
  const panel = await openBrowser(page);
  await expect(panel.locator('.leaflet-container')).toBeVisible();
  expect(files.some(f => f.includes('leaflet-src'))).toBe(true);
  expect(files.some(f => f.startsWith('lib_view_js'))).toBe(true);
});

test('the Cloudscapes menu offers the Data commands: Browse S3 opens the S3 tab', async ({
  page
}) => {
  await page.menu.open('Cloudscapes');
  const menu = page.locator('.lm-Menu');
  await expect(menu.getByText('Search Earthdata')).toBeVisible();
  await expect(menu.getByText('Insert Code for Data Selection')).toBeVisible();
  await menu.getByText('Browse S3').click();
  await expect(
    page.locator(`${PANEL} [role=tab][data-tab="s3"]`)
  ).toHaveAttribute('aria-selected', 'true');
});

test('Alt+Shift+D shows the Data panel, as the schema declares', async ({
  page
}) => {
  await page.locator('#jp-main-dock-panel').click();
  await page.keyboard.press('Alt+Shift+D');
  await expect(page.locator(`${PANEL} .cs-DataSearch-keyword`)).toBeVisible();
});

test.describe.serial('Data browser', () => {
  test('search, select two granules, insert code and run it', async ({
    page
  }) => {
    await signIn(page);
    await page.notebook.createNew('granules.ipynb');
    const panel = await openBrowser(page);
    await panel.locator('[role=tab][data-tab="search"]').click();
    await panel.locator('.cs-DataSearch-keyword').fill('sea ice');
    await panel.locator('.cs-DataSearch-submit').click();
    const collections = panel.locator('.cs-CollectionResults-list');
    const demo = collections.locator('.cs-DataList-row', {
      hasText: 'Cloudscapes demo: daily sea ice concentration'
    });
    await expect(demo).toBeVisible();
    await expect(panel.locator('.cs-PagedResults-count').first()).toContainText(
      'results'
    );
    await demo.click();
    await expect(panel.locator('.cs-CollectionView-shortName')).toContainText(
      'DEMO_SEAICE'
    );
    const granules = panel.locator(
      '.cs-CollectionView-granules .cs-DataList-row'
    );
    await expect(granules.first()).toBeVisible();
    // footprints are drawn on the map (an SVG path per granule)
    await expect(
      panel.locator('path.cs-DataMap-footprint').first()
    ).toBeAttached();
    await granules.nth(0).click();
    await granules.nth(1).click({ modifiers: ['Shift'] });
    await expect(panel.locator('.cs-SelectionBar-count')).toContainText(
      '2 granules'
    );
    await panel.locator('.cs-SelectionBar-insertCode').click();

    await expect
      .poll(async () => (await page.notebook.getCellTextInput(0)) ?? '')
      .toContain('DEMO_SEAICE');
    const source = (await page.notebook.getCellTextInput(0)) ?? '';
    expect(source).toContain('earthdata-nsidc');
    expect(source).not.toMatch(/eyJ|s3cret/);
    await page.notebook.addCell('code', 'print(dict(ds.sizes))');
    await page.notebook.run();
    expect(await outputText(page, 1)).toContain("'time': 2");
  });

  test('browse S3, scroll past the first page, insert code and run it', async ({
    page
  }) => {
    await page.notebook.createNew('objects.ipynb');
    const panel = await openBrowser(page);
    const list = await openManyListing(panel);
    // scroll to the end until the second page has arrived
    await expect
      .poll(
        async () => {
          await list.evaluate(el => {
            el.scrollTop = el.scrollHeight;
          });
          return await panel
            .locator('.cs-PagedResults-count')
            .last()
            .innerText();
        },
        { timeout: 30000 }
      )
      .toMatch(/2,000|3,000|4,000|5,000/);
    // the DOM stays bounded however many keys are loaded
    expect(await list.locator('.cs-DataList-row').count()).toBeLessThan(200);
    const row = list
      .locator('.cs-DataList-row[data-key^="many/granule_001"]')
      .last();
    await expect(row).toBeVisible();
    const key = await row.getAttribute('data-key');
    expect(Number(key!.match(/(\d+)\.json$/)![1])).toBeGreaterThan(1000);
    await row.click();
    await panel.locator('.cs-SelectionBar-insertCode').click();
    await expect
      .poll(async () => (await page.notebook.getCellTextInput(0)) ?? '')
      .toContain(key!);
    expect((await page.notebook.getCellTextInput(0)) ?? '').toContain(
      'anon=True'
    );
    await page.notebook.run();
    expect(await outputText(page, 0)).toContain(key!);
  });

  test('download a granule with a moving progress bar', async ({ page }) => {
    await signIn(page);
    const target = 'downloads/seaice_20240905.nc';
    // a retry must not find the file of an earlier attempt
    await page.evaluate(async (path: string) => {
      const contents = (window as any).jupyterapp.serviceManager.contents;
      await contents.delete(path).catch(() => undefined);
    }, target);
    const panel = await openBrowser(page);
    await panel.locator('[role=tab][data-tab="search"]').click();
    await panel.locator('.cs-DataSearch-keyword').fill('DEMO_SEAICE');
    await panel.locator('.cs-DataSearch-submit').click();
    await panel
      .locator('.cs-CollectionResults-list .cs-DataList-row', {
        hasText: 'DEMO_SEAICE'
      })
      .first()
      .click();
    const granule = panel.locator(
      '.cs-CollectionView-granules .cs-DataList-row',
      {
        hasText: 'seaice_20240905'
      }
    );
    await granule.click();
    await expect(panel.locator('.cs-SelectionBar-count')).toContainText(
      '1 granule'
    );
    await panel.locator('.cs-SelectionBar-download').click();
    const job = panel.locator('.cs-Downloads-job', {
      hasText: 'seaice_20240905'
    });
    const bar = job.getByRole('progressbar');
    await expect(bar).toBeVisible();
    // the data host streams at 16 kB/s: the bar is seen part-way
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), {
        timeout: 20000
      })
      .toBeGreaterThan(0);
    expect(await job.getAttribute('data-status')).toBe('running');
    await expect(job).toHaveAttribute('data-status', 'succeeded', {
      timeout: 30000
    });
    await expect(bar).toHaveAttribute('aria-valuenow', '100');
    // the download's log says which file it saved
    const logToggle = job.getByRole('button', { name: 'Log', exact: true });
    await expect(logToggle).toHaveAttribute('aria-expanded', 'false');
    await logToggle.click();
    await expect(logToggle).toHaveAttribute('aria-expanded', 'true');
    const log = job.getByRole('log', { name: /^Log of / });
    await expect(log).toContainText(`Saved ${target}`);
    const size = await page.evaluate(async (path: string) => {
      const contents = (window as any).jupyterapp.serviceManager.contents;
      return (await contents.get(path, { content: false })).size;
    }, target);
    expect(size).toBeGreaterThan(40000);
  });
});
