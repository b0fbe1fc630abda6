import { expect, galata, test } from '@jupyterlab/galata';

const STATUS = '.cs-UsageStatus-text';

test.describe('Server usage', () => {
  test('the status item shows real figures from the server', async ({
    page
  }) => {
    const item = page.locator(STATUS);
    await expect(item).toBeVisible();
    // "USD 0.00 · 123.4/25.3 GB · inactive 5s": cost (overrides.json sets the code
    // display), memory used/limit, idle time.
    await expect(item).toHaveText(
      /^USD\s\d+\.\d{2,4} · [\d.]+\/[\d.]+ [kMGT]?B · inactive \d+[smhd]/
    );
    const label = await item.getAttribute('aria-label');
    expect(label).toMatch(
      /^Server usage: USD\s[\d.]+ so far; memory [\d.]+ [kMGT]?B of [\d.]+ [kMGT]?B/
    );
  });

  test('overrides.json changes what the user sees', async ({ page }) => {
    // The default is "symbol" ($0.00); ui-tests/settings/overrides.json sets "code".
    await expect(page.locator(STATUS)).toHaveText(/^USD\s/);
    await page.evaluate(async () => {
      const registry = (window as any).jupyterapp.serviceManager.settings;
      const settings = await registry.fetch('@cloudscapes/usage:plugin');
      (window as any).__csUsageSchemaDefault =
        settings.schema.properties.currencyDisplay.default;
    });
    expect(
      await page.evaluate(() => (window as any).__csUsageSchemaDefault)
    ).toBe('code');
  });

  test('the panel opens from the keyboard with the details', async ({
    page
  }) => {
    const item = page.locator(STATUS);
    await item.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('#cloudscapes-usage-panel');
    await expect(panel).toBeVisible();
    await expect(panel.locator('.cs-UsagePanel-profile')).toHaveText(
      'Small: 2 CPU, 8 GB'
    );
    await expect(panel.locator('.cs-UsagePanel-rate')).toHaveText(
      /USD\s0\.12 per hour/
    );
    await expect(
      panel.getByRole('progressbar', { name: 'Memory' })
    ).toBeVisible();
    await expect(panel.getByRole('progressbar', { name: 'CPU' })).toBeVisible();
    await expect(panel.locator('.cs-UsagePanel-cull')).toContainText(
      'about 60–70 minutes after your last activity'
    );
  });

  test('keep-alive from the panel is reflected by the server', async ({
    page
  }) => {
    await page.locator(STATUS).click();
    const panel = page.locator('#cloudscapes-usage-panel');
    await panel.getByLabel('Keep alive for').selectOption('60');
    await panel
      .getByRole('button', { name: 'Keep alive', exact: true })
      .click();
    await expect(panel.getByText(/Kept alive until/)).toBeVisible();
    const usage = await page.evaluate(async () => {
      const response = await fetch('/cloudscapes/usage');
      return response.json();
    });
    expect(usage.activity.keepalive_until).not.toBeNull();
    await panel.getByRole('button', { name: 'End keep-alive' }).click();
    await expect(panel.getByLabel('Keep alive for')).toBeVisible();
  });

  test('stop asks for confirmation, and cancel keeps the server', async ({
    page
  }) => {
    await page.locator(STATUS).click();
    const panel = page.locator('#cloudscapes-usage-panel');
    await panel.getByRole('button', { name: 'Stop my server' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Stop your server?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    // still running: the status item keeps refreshing from the server
    const status = await page.evaluate(
      async () => (await fetch('/api/status')).status
    );
    expect(status).toBe(200);
  });

  for (const [how, stopAnswer] of [
    // what the server answers under a hub: 202, the hub is asked just after
    [
      'answered 202',
      {
        status: 202,
        contentType: 'application/json',
        body: JSON.stringify({ status: 'stopping', redirect: '/hub/home' })
      }
    ],
    // what the proxy answers when the hub is faster than the answer
    ['answered 503 by the proxy', { status: 503, body: 'socket hang up' }]
  ] as const) {
    test(`under a hub, a stop ${how} is followed to the hub's home`, async ({
      page
    }) => {
      // The hub's part, in the browser's network: this lab's snapshot says it runs
      // under a hub; the stop never reaches the real server (it would shut down the
      // lab of the other tests); after one "stopping" the server is gone, and
      // /hub/home is the hub's page. (The real hub: tests/test_hub_*.py.)
      await page.route(/\/cloudscapes\/usage(\?.*)?$/, async route => {
        const response = await route.fetch();
        const usage = await response.json();
        usage.hub = {
          present: true,
          can_stop: true,
          home_url: '/hub/home',
          stop_scope: 'delete:servers!server'
        };
        await route.fulfill({ response, json: usage });
      });
      let looks = 0;
      await page.route(/\/cloudscapes\/usage\/stop(\?.*)?$/, async route => {
        if (route.request().method() === 'POST') {
          await route.fulfill(stopAnswer);
        } else if (looks++ === 0) {
          await route.fulfill({ json: { status: 'stopping', error: null } });
        } else {
          await route.abort('connectionrefused');
        }
      });
      await page.route(/\/hub\/home$/, route =>
        route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><title>Hub</title><h1>Hub home</h1>'
        })
      );
      // the next refresh (every 5 s) brings the hub's snapshot
      await page.waitForResponse(/\/cloudscapes\/usage(\?.*)?$/);
      await page.locator(STATUS).click();
      const panel = page.locator('#cloudscapes-usage-panel');
      await panel.getByRole('button', { name: 'Stop my server' }).click();
      const dialog = page.locator('.jp-Dialog');
      await expect(dialog).toContainText('start the server again from the hub');
      await dialog.getByRole('button', { name: 'Stop my server' }).click();
      await expect(page).toHaveURL(/\/hub\/home$/, { timeout: 15000 });
      await expect(
        page.getByRole('heading', { name: 'Hub home' })
      ).toBeVisible();
      expect(looks).toBeGreaterThanOrEqual(2);
    });
  }

  test('commands are in the palette', async ({ page }) => {
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#command-palette');
    await expect(palette).toBeVisible();
    await palette.locator('input').fill('Server Usage');
    await expect(palette.getByText('Show Server Usage')).toBeVisible();
    await palette.locator('input').fill('Stop My Server');
    await expect(palette.getByText('Stop My Server…')).toBeVisible();
  });

  test('dark theme keeps the item readable', async ({ page }) => {
    await page.theme.setDarkTheme();
    const item = page.locator(STATUS);
    await expect(item).toBeVisible();
    const [color, background] = await item.evaluate(node => {
      const style = getComputedStyle(node);
      const bar = getComputedStyle(
        node.closest('#jp-main-statusbar') as Element
      );
      return [style.color, bar.backgroundColor];
    });
    expect(color).not.toEqual(background);
    await page.theme.setLightTheme();
  });
});

test.describe('Warnings', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      '@cloudscapes/usage:plugin': {
        // any real server is over this memory threshold
        memoryWarning: 0.0001,
        // the test server's culler window opens in ~60 minutes: warn now
        cullWarningMinutes: 120
      }
    }
  });

  test('memory past the threshold notifies once, with actions', async ({
    page
  }) => {
    const toast = page.locator('.Toastify__toast', {
      hasText: /Memory is \d+% full/
    });
    await expect(toast).toHaveCount(1);
    await expect(
      toast.getByRole('button', { name: 'Show usage' })
    ).toBeVisible();
    await expect(toast.getByRole('button', { name: 'Stop now' })).toBeVisible();
    // later refreshes (every 5 s) do not nag again
    await page.waitForTimeout(6000);
    await expect(toast).toHaveCount(1);
  });

  test("the idle warning offers I'm still here, which records activity", async ({
    page
  }) => {
    const toast = page.locator('.Toastify__toast', {
      hasText: 'may be stopped by the hub'
    });
    await expect(toast).toHaveCount(1);
    const before = await page.evaluate(
      async () => (await (await fetch('/api/status')).json()).last_activity
    );
    await toast.getByRole('button', { name: "I'm still here" }).click();
    await expect(
      page.locator('.Toastify__toast', { hasText: 'kept alive until' })
    ).toBeVisible();
    const after = await page.evaluate(
      async () => (await (await fetch('/api/status')).json()).last_activity
    );
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
  });
});
