/**
 * Through a real JupyterHub: log in at the hub, the lab's status item shows the cost,
 * and "Stop my server" lands on the hub's home with the server stopped.
 */
import { expect, test } from '@playwright/test';

const STATUS = '.cs-UsageStatus-text';
const PASSWORD = 'cloudscapes-test-password';

test('log in at the hub, see the cost, stop my server, land on the hub', async ({
  page
}) => {
  await page.goto('/hub/login');
  await page.locator('#username_input').fill('alice');
  await page.locator('#password_input').fill(PASSWORD);
  await page.locator('#login_submit').click();

  // the hub spawns the server and sends the browser on to its lab
  await page.waitForURL(/\/user\/alice\/lab/, { timeout: 120 * 1000 });
  const item = page.locator(STATUS);
  await expect(item).toBeVisible({ timeout: 60 * 1000 });
  // the admin's price of the default profile: "$0.0012 · …"
  await expect(item).toHaveText(/^(\$|USD\s?)\d+\.\d{2,4} · /);

  await item.click();
  const panel = page.locator('#cloudscapes-usage-panel');
  await expect(panel.locator('.cs-UsagePanel-profile')).toHaveText(
    'Small: 2 CPU, 8 GB'
  );
  await panel.getByRole('button', { name: 'Stop my server' }).click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('Stop your server?');
  await dialog.getByRole('button', { name: 'Stop my server' }).click();

  await page.waitForURL(/\/hub\/home/, { timeout: 60 * 1000 });
  // the hub may still be stopping it when its home first renders: as a user would,
  // reload until the hub offers to start it again
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('Start My Server')).toBeVisible({
      timeout: 2000
    });
  }).toPass({ timeout: 60 * 1000 });
  await expect(page.locator('#stop')).toHaveCount(0);
});
