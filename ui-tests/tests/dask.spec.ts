import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

const PANEL = '#cloudscapes-dask-panel';

async function run(page: Page, command: string) {
  await page.evaluate(
    (id: string) => (window as any).jupyterapp.commands.execute(id),
    command
  );
}

async function openPanel(page: Page): Promise<Locator> {
  await run(page, 'cloudscapes-dask:open');
  const panel = page.locator(PANEL);
  await expect(panel).toBeVisible();
  return panel;
}

/**
 * No cluster of an earlier attempt (or another spec) may be left over.
 */
async function shutDownAll(page: Page, baseURL: string | undefined) {
  const response = await page.request.delete(
    `${baseURL ?? 'http://localhost:8888'}/cloudscapes/dask/clusters`
  );
  expect(response.status()).toBe(200);
}

async function outputText(page: Page, cell: number): Promise<string> {
  const output = await page.notebook.getCellTextOutput(cell);
  return (output ?? []).join('\n');
}

test('the Dask panel loads its view when first shown, not at start', async ({
  page
}) => {
  const files: string[] = [];
  page.on('response', response => {
    const match = response
      .url()
      .match(/\/lab\/extensions\/@cloudscapes\/dask\/static\/([^?]+)/);
    if (match) {
      files.push(match[1]);
    }
  });
  await page.reload();
  await page.evaluate(() => (window as any).jupyterapp.restored);
  // what hidden panels would fetch after the restore has had its time
  await page.waitForTimeout(1000);
  expect(files.some(f => f.startsWith('remoteEntry.'))).toBe(true);
  expect(files.filter(f => /lib_view|lib_dashboard/.test(f))).toEqual([]);
  const panel = await openPanel(page);
  await expect(panel.locator('.cs-Dask-new')).toBeVisible();
  expect(files.some(f => f.startsWith('lib_view_js'))).toBe(true);
});

test('the Cloudscapes menu offers the Dask commands: New Dask Cluster opens the form', async ({
  page
}) => {
  await page.menu.open('Cloudscapes');
  const menu = page.locator('.lm-Menu');
  await expect(
    menu.getByText('Insert Code to Connect to the Newest Dask Cluster')
  ).toBeVisible();
  await menu.getByText('New Dask Cluster…').click();
  await expect(page.locator(`${PANEL} .cs-NewClusterForm`)).toBeVisible();
});

test('Alt+Shift+K shows the Dask panel, as the schema declares', async ({
  page
}) => {
  await page.locator('#jp-main-dock-panel').click();
  await page.keyboard.press('Alt+Shift+K');
  await expect(page.locator(`${PANEL} .cs-Dask-new`)).toBeVisible();
});

test.describe('Dask', () => {
  test.setTimeout(240000);

  test.beforeEach(async ({ page, baseURL }) => {
    await shutDownAll(page, baseURL);
  });

  test.afterEach(async ({ page, baseURL }) => {
    await shutDownAll(page, baseURL);
  });

  test('create a local cluster, connect, scale, watch and shut it down', async ({
    page
  }) => {
    const panel = await openPanel(page);
    await expect(
      panel.getByText('No Dask clusters', { exact: true })
    ).toBeVisible();

    // New cluster: the local backend with one worker
    await panel.getByRole('button', { name: 'New cluster' }).click();
    const form = panel.locator('.cs-NewClusterForm');
    // the hub's gateway comes first; this cluster runs inside the server
    await expect(form.getByLabel('Runs on')).toHaveValue('gateway');
    await form.getByLabel('Runs on').selectOption('local');
    await form.getByLabel('Number of workers').fill('1');
    // record whether a starting card ever shows a progress bar (the start may
    // be quicker than a poll of the DOM)
    await page.evaluate((selector: string) => {
      const root = document.querySelector(selector)!;
      const w = window as any;
      w.__csDaskProgressSeen = false;
      new MutationObserver(() => {
        if (
          root.querySelector(
            '.cs-ClusterCard[data-status="starting"] [role="progressbar"]'
          )
        ) {
          w.__csDaskProgressSeen = true;
        }
      }).observe(root, { subtree: true, childList: true, attributes: true });
    }, PANEL);
    await form.getByRole('button', { name: 'Create' }).click();

    const card = panel.locator('.cs-ClusterCard');
    await expect(card).toHaveCount(1);
    // starting with a progress bar until the job ends, then running
    await expect(card).toHaveAttribute('data-status', 'running', {
      timeout: 90000
    });
    expect(
      await page.evaluate(() => (window as any).__csDaskProgressSeen)
    ).toBe(true);
    await expect(card.getByRole('progressbar')).toHaveCount(0);
    await expect(card.locator('.cs-ClusterCard-workers')).toHaveText(
      '1 worker',
      {
        timeout: 30000
      }
    );
    await expect(card.locator('.cs-ClusterCard-cost')).toHaveText(
      'included in server'
    );

    // connect a notebook and compute on the cluster
    await page.notebook.createNew('dask.ipynb');
    await panel.getByRole('button', { name: 'Insert connect code' }).click();
    await expect
      .poll(async () => (await page.notebook.getCellTextInput(0)) ?? '')
      .toContain('Client(');
    await page.notebook.run();
    await page.notebook.addCell(
      'code',
      'client.submit(lambda x: x + 1, 41).result()'
    );
    await page.notebook.run();
    await expect.poll(() => outputText(page, 1)).toContain('42');

    // scale to two workers
    await card.locator('.cs-ClusterControls-scaleWorkers').fill('2');
    await card.getByRole('button', { name: 'Scale', exact: true }).click();
    await expect(card.locator('.cs-ClusterCard-workers')).toHaveText(
      '2 workers',
      {
        timeout: 60000
      }
    );

    // the task stream in a tab of its own, with Bokeh drawing in it
    await card.getByRole('button', { name: 'Dashboard', exact: true }).click();
    const items = panel.getByRole('menuitem');
    await expect(items.first()).toHaveText('Task Stream');
    await items.first().click();
    const pane = page.locator('.cs-DaskDashboard');
    await expect(pane.locator('iframe')).toBeAttached();
    const frame = page.frameLocator('.cs-DaskDashboard-frame');
    // the page is Bokeh's ([data-root-id]), and its document came over the
    // proxied websocket: the figure is drawn (a canvas in its shadow root)
    await expect(frame.locator('[data-root-id]').first()).toBeAttached({
      timeout: 30000
    });
    await expect(
      frame.locator('.bk-Figure canvas, canvas').first()
    ).toBeAttached({ timeout: 30000 });

    // shut down (confirmed): the card goes, the tab says so and drops its iframe
    await card.locator('.cs-ClusterCard-shutdown').click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Shut down Dask cluster');
    await dialog
      .getByRole('button', { name: 'Shut down', exact: true })
      .click();
    await expect(card).toHaveCount(0, { timeout: 30000 });
    await expect(
      panel.getByText('No Dask clusters', { exact: true })
    ).toBeVisible();
    await expect(pane).toContainText('This cluster has shut down');
    await expect(pane.locator('iframe')).toHaveCount(0);
    if (process.env.CS_DASK_SCREENSHOTS) {
      await page.screenshot({ path: '/tmp/dask-after.png' });
    }
  });

  test("a Dask Gateway cluster: create, connect, see a notebook's cluster, shut all down", async ({
    page
  }) => {
    const panel = await openPanel(page);
    await panel.getByRole('button', { name: 'New cluster' }).click();
    const form = panel.locator('.cs-NewClusterForm');
    await expect(form.getByLabel('Runs on')).toHaveValue('gateway');
    // the gateway's own options form
    await form.getByLabel('Worker memory (GiB)').fill('0.5');
    await form.getByLabel('Number of workers').fill('1');
    await form.getByRole('button', { name: 'Create' }).click();

    const card = panel.locator('.cs-ClusterCard');
    await expect(card).toHaveCount(1);
    await expect(card).toHaveAttribute('data-status', 'running', {
      timeout: 90000
    });
    await expect(card.locator('.cs-ClusterCard-backend')).toHaveText(
      'Dask Gateway'
    );
    await expect(card.locator('.cs-ClusterCard-workers')).toHaveText(
      '1 worker',
      {
        timeout: 60000
      }
    );
    // 1 worker x (1 core x $0.04 + 0.5 GiB x $0.01) + $0.05 scheduler = $0.095
    await expect(card.locator('.cs-ClusterCard-cost')).toHaveText(
      '$0.10 per hour'
    );

    // connect with the gateway's client and compute
    await page.notebook.createNew('gateway.ipynb');
    await panel.getByRole('button', { name: 'Insert connect code' }).click();
    await expect
      .poll(async () => (await page.notebook.getCellTextInput(0)) ?? '')
      .toContain('.get_client()');
    await page.notebook.run();
    await page.notebook.addCell(
      'code',
      'client.submit(lambda x: x + 1, 41).result()'
    );
    await page.notebook.run();
    await expect
      .poll(() => outputText(page, 1), { timeout: 60000 })
      .toContain('42');

    // a cluster started from the notebook shows up in the panel
    await page.notebook.addCell(
      'code',
      'mine = gateway.new_cluster(shutdown_on_close=False)\nprint(mine.name)'
    );
    await page.notebook.run();
    await expect(card).toHaveCount(2, { timeout: 60000 });

    // the kill switch, from the palette's command (it waits for the dialog)
    await page.evaluate(() => {
      void (window as any).jupyterapp.commands.execute(
        'cloudscapes-dask:shutdown-all'
      );
    });
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('2 clusters stop');
    await dialog.getByRole('button', { name: 'Shut down all' }).click();
    await expect(card).toHaveCount(0, { timeout: 60000 });
  });
});
