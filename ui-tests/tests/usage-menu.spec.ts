import { expect, test } from '@jupyterlab/galata';

/**
 * The suite's commands where JupyterLab users look for them: a top-level
 * "Cloudscapes" menu declared in the settings schemas (each package adds its
 * ranked block), and a shortcut per panel.
 */
test.describe('Cloudscapes menu', () => {
  test('lists the usage and Earthdata commands, and opens their panels', async ({
    page
  }) => {
    await page.menu.open('Cloudscapes');
    const menu = page.locator('.lm-Menu');
    await expect(menu.getByText('Show Server Usage')).toBeVisible();
    await expect(menu.getByText('Stop My Server…')).toBeVisible();
    await expect(menu.getByText('Show Earthdata Login')).toBeVisible();
    await expect(menu.getByText('Insert Earthdata Login Cell')).toBeVisible();
    // usage's block comes before Earthdata's (ranks 100s, then 200s)
    const labels = await menu.locator('.lm-Menu-itemLabel').allTextContents();
    expect(labels.indexOf('Show Server Usage')).toBeLessThan(
      labels.indexOf('Show Earthdata Login')
    );
    await menu.getByText('Show Server Usage').click();
    await expect(page.locator('#cloudscapes-usage-panel')).toBeVisible();
  });

  test('Alt+Shift+E shows the Earthdata panel, as the schema declares', async ({
    page
  }) => {
    await page.locator('#jp-main-dock-panel').click();
    await page.keyboard.press('Alt+Shift+E');
    await expect(page.locator('#cloudscapes-earthdata-panel')).toBeVisible();
  });
});
