import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';

const PANEL = '#cloudscapes-earthdata-panel';

async function openPanel(page: Page) {
  await page.evaluate(() =>
    (window as any).jupyterapp.commands.execute('cloudscapes-earthdata:open')
  );
  const panel = page.locator(PANEL);
  await expect(panel).toBeVisible();
  return panel;
}

async function signIn(page: Page, password = 's3cret #1') {
  const panel = await openPanel(page);
  // the session lives on the server: another spec may have left it signed in
  const signOutButton = panel.getByRole('button', { name: 'Sign out' });
  await expect(
    panel.getByRole('textbox', { name: 'Username' }).or(signOutButton)
  ).toBeVisible();
  if (await signOutButton.isVisible()) {
    await signOut(page);
  }
  await panel.getByRole('textbox', { name: 'Username' }).fill('demo');
  await panel.getByRole('textbox', { name: 'Password' }).fill(password);
  await panel.getByRole('button', { name: 'Sign in', exact: true }).click();
  return panel;
}

async function signOut(page: Page) {
  const panel = page.locator(PANEL);
  await panel.getByRole('button', { name: 'Sign out' }).click();
  const dialog = page.locator('.jp-Dialog');
  await dialog.getByRole('button', { name: 'Sign out' }).click();
  await expect(
    panel.getByRole('button', { name: 'Sign in', exact: true })
  ).toBeVisible();
}

test.describe.serial('Earthdata login', () => {
  test('a wrong password shows the message and the lockout warning', async ({
    page
  }) => {
    const panel = await signIn(page, 'not my password');
    const alert = panel.getByRole('alert');
    await expect(alert).toContainText(
      'Earthdata Login refused that username and password'
    );
    await expect(alert).toContainText('locks the account for 10 minutes');
    // the password field is cleared, the username kept
    await expect(panel.getByRole('textbox', { name: 'Password' })).toHaveValue(
      ''
    );
    await expect(panel.getByRole('textbox', { name: 'Username' })).toHaveValue(
      'demo'
    );
  });

  test('sign in with the demo account shows the profile, then sign out', async ({
    page
  }) => {
    const panel = await signIn(page);
    await expect(panel.locator('.cs-EarthdataCard-name')).toHaveText(
      'Demo User'
    );
    await expect(panel.locator('.cs-EarthdataCard-uid')).toHaveText('demo');
    await expect(panel.locator('.cs-EarthdataCard-email')).toHaveText(
      'demo@example.org'
    );
    await expect(panel.locator('.cs-EarthdataCard-affiliation')).toHaveText(
      'Cloudscapes demo'
    );
    await expect(panel.locator('.cs-EarthdataCard-storage')).toContainText(
      '.netrc'
    );
    await expect(panel.locator('.cs-EarthdataCard-relative')).toContainText(
      /days?/
    );
    // no secret ever reaches the page
    expect(await page.content()).not.toContain('s3cret #1');
    await signOut(page);
  });

  test('the login cell runs in a real kernel and reads the demo bucket', async ({
    page
  }) => {
    const panel = await signIn(page);
    await expect(panel.locator('.cs-EarthdataCard-name')).toHaveText(
      'Demo User'
    );
    const nsidc = panel.locator('.cs-EarthdataDaac', { hasText: 'nsidc' });
    await nsidc.getByRole('button', { name: /Refresh/ }).click();
    await expect(nsidc.locator('.cs-EarthdataDaac-status')).toContainText(
      /expires in/
    );
    await panel.getByRole('button', { name: 'Set up AWS profiles' }).click();
    await expect(nsidc.getByText('earthdata-nsidc')).toBeVisible();

    await page.notebook.createNew('earthdata.ipynb');
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute(
        'cloudscapes-earthdata:insert-login-cell'
      )
    );
    const source = await page.notebook.getCellTextInput(1);
    expect(source).toContain('profile_name="earthdata-nsidc"');
    expect(source).not.toContain('s3cret');
    await page.notebook.addCell(
      'code',
      'print(s3.get_object(Bucket="demo-nsidc-protected", Key="hello.txt")["Body"].read().decode())'
    );
    await page.notebook.run();
    const output = await page.notebook.getCellTextOutput(2);
    expect(output?.join('')).toContain(
      'Hello from the Cloudscapes demo bucket'
    );

    await openPanel(page);
    await signOut(page);
  });
});
