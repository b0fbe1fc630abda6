/**
 * The git panel end to end, as a hackweek learner uses it, against the GitHub
 * stand-in (device flow, a real `git http-backend` remote) that
 * jupyter_server_test_config.py starts with `openscapes/tutorial`: clone the
 * tutorial, edit a notebook and see its cell-aware diff, commit (the panel asks
 * for a name and email when git needs them), sign in by device flow and push, then the
 * instructor publishes an update and "Update the tutorial" brings it in while
 * the learner's edit stays. No terminal is opened.
 */
import { expect, test } from '@jupyterlab/galata';
import type { APIRequestContext, Locator, Page } from '@playwright/test';

const PANEL = '#cloudscapes-git-panel';
const EDIT = 'print("my own analysis")';
const SECOND_EDIT = 'extent = [4.5, 4.4]  # my sea ice numbers';

async function run(page: Page, command: string) {
  await page.evaluate(async (id: string) => {
    await (window as any).jupyterapp.commands.execute(id);
  }, command);
}

async function openPanel(page: Page): Promise<Locator> {
  await run(page, 'cloudscapes-git:open');
  const panel = page.locator(PANEL);
  await expect(panel).toBeVisible();
  return panel;
}

/**
 * The stand-in's origin, as the server's GitHub settings name it.
 */
async function standIn(page: Page, baseURL: string): Promise<string> {
  const response = await page.request.get(`${baseURL}/cloudscapes/git/github`);
  expect(response.status()).toBe(200);
  const github = await response.json();
  expect(github.configured).toBe(true);
  const host = github.host as string;
  return host.includes('://') ? host : `http://${host}`;
}

async function control(
  request: APIRequestContext,
  origin: string,
  route: string,
  body: object = {}
) {
  const response = await request.post(`${origin}/_standin/${route}`, {
    data: body
  });
  expect(response.ok()).toBe(true);
  return response.json();
}

async function fileText(
  page: Page,
  baseURL: string,
  path: string
): Promise<string> {
  const response = await page.request.get(
    `${baseURL}/api/contents/${path}?content=1&type=file&format=text`
  );
  expect(response.status()).toBe(200);
  return (await response.json()).content as string;
}

test('the Git panel loads its view when first shown, and finds no repository in a plain folder', async ({
  page
}) => {
  const files: string[] = [];
  page.on('response', response => {
    const match = response
      .url()
      .match(/\/lab\/extensions\/@cloudscapes\/git\/static\/([^?]+)/);
    if (match) {
      files.push(match[1]);
    }
  });
  const requests: string[] = [];
  page.on('request', request => {
    if (request.url().includes('/cloudscapes/git/')) {
      requests.push(request.url());
    }
  });
  await page.reload();
  await page.evaluate(() => (window as any).jupyterapp.restored);
  await page.waitForTimeout(1000);
  expect(files.some(f => f.startsWith('remoteEntry.'))).toBe(true);
  expect(files.filter(f => /lib_view|lib_diff|lib_dialogs/.test(f))).toEqual(
    []
  );
  expect(requests).toEqual([]);
  // Alt+Shift+G, as the settings schema declares
  await page.locator('#jp-main-dock-panel').click();
  await page.keyboard.press('Alt+Shift+G');
  const panel = page.locator(PANEL);
  await expect(panel.getByText('Not a git repository')).toBeVisible();
  expect(files.some(f => f.startsWith('lib_view_js'))).toBe(true);
  // the status polls never count as activity
  expect(requests.length).toBeGreaterThan(0);
  for (const url of requests.filter(u => /\/git\/(repo|status)\?/.test(u))) {
    expect(url).toContain('no_track_activity=1');
  }
  // the Git menu lists the commands
  await page.menu.open('Git');
  const menu = page.locator('.lm-Menu');
  await expect(menu.getByText('Clone a Repository…')).toBeVisible();
  await expect(menu.getByText('Update the Tutorial')).toBeVisible();
  await page.keyboard.press('Escape');
  // and its block of the Cloudscapes menu
  await page.menu.open('Cloudscapes');
  await expect(page.locator('.lm-Menu').getByText('Open Git')).toBeVisible();
  await page.keyboard.press('Escape');
});

test.describe('Git', () => {
  test.setTimeout(240000);

  test('clone, diff, commit, sign in and push, then update the tutorial', async ({
    page,
    tmpPath,
    baseURL
  }) => {
    const base = baseURL ?? 'http://localhost:8888';
    const origin = await standIn(page, base);

    // 1. Outside a repository the panel offers Clone: the tutorial arrives
    const panel = await openPanel(page);
    await expect(panel.getByText('Not a git repository')).toBeVisible();
    await panel.getByRole('button', { name: 'Clone a repository…' }).click();
    const clone = page.locator('.jp-Dialog');
    await clone
      .locator('input[name="url"]')
      .fill(`${origin}/openscapes/tutorial.git`);
    await clone.getByRole('button', { name: 'Clone' }).click();
    // the file browser goes into the clone; the panel follows it
    await expect(panel.locator('.cs-Git-repoName')).toHaveText('tutorial', {
      timeout: 60000
    });
    await expect(panel.locator('.cs-Git-branch')).toContainText('main');
    await expect(panel.locator('.cs-Git-update')).toBeVisible();

    // 2. Edit a notebook: the panel lists it, and its diff is cell-aware
    await page.evaluate(async (path: string) => {
      await (window as any).jupyterapp.commands.execute('docmanager:open', {
        path
      });
    }, `${tmpPath}/tutorial/01-hello.ipynb`);
    await expect(
      page.getByRole('main').getByRole('tab', { name: /^01-hello\.ipynb/ })
    ).toBeVisible();
    await page.notebook.setCell(1, 'code', EDIT);
    await page.notebook.save();
    const row = panel.locator('.cs-Git-file[data-file="01-hello.ipynb"]');
    await expect(row).toBeVisible({ timeout: 30000 });
    await row.locator('.cs-Git-fileName').click();
    const diff = page.locator('.cs-GitDiffPanel');
    await expect(diff).toBeVisible();
    await expect(diff).toContainText(EDIT);
    await expect(diff).toContainText('Hello from the tutorial');
    // cells, not JSON: no "cell_type" key in what the learner reads
    await expect(diff).not.toContainText('"cell_type"');

    // 3. Stage and commit; git has no name yet, so the panel asks once
    await row.getByRole('button', { name: 'Stage 01-hello.ipynb' }).click();
    await expect(
      panel.locator(
        '[data-group="staged"] .cs-Git-file[data-file="01-hello.ipynb"]'
      )
    ).toBeVisible();
    await panel
      .getByRole('textbox', { name: 'Commit summary' })
      .fill('Say what my analysis prints');
    await panel.getByRole('button', { name: 'Commit 1 file' }).click();
    // (git asks only when it cannot tell on its own, as on a hub image
    // without a host name it can make an email of)
    const identity = page
      .locator('.jp-Dialog')
      .filter({ hasText: 'Who is making this commit?' });
    const toPush = panel.getByText('1 commit to push');
    await expect(identity.or(toPush)).toBeVisible({ timeout: 30000 });
    if (await identity.isVisible()) {
      await identity.locator('input[name="name"]').fill('Ada Learner');
      await identity.locator('input[name="email"]').fill('ada@example.org');
      await identity.getByRole('button', { name: 'Save' }).click();
    }
    await expect(toPush).toBeVisible({ timeout: 30000 });

    // 4. Push: the remote asks who we are; sign in by device flow
    await panel.getByRole('button', { name: 'Push' }).click();
    const signIn = page.locator('.jp-Dialog .cs-GitHubCard');
    await expect(signIn).toBeVisible({ timeout: 30000 });
    await signIn.locator('.cs-GitHubCard-signIn').click();
    const code = signIn.locator('.cs-GitHubCard-code');
    await expect(code).toHaveText(/\w{4}-\w{4}/, { timeout: 30000 });
    // the learner approves on the stand-in's page (its control API here)
    await control(page.request, origin, 'approve', {
      user_code: (await code.textContent())!.trim()
    });
    await expect(signIn.locator('.cs-GitHubCard-signedIn')).toBeVisible({
      timeout: 30000
    });
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Done' })
      .click();
    await expect(
      page.getByText('Pushed: your commits are on the remote.')
    ).toBeVisible({ timeout: 60000 });
    await expect(panel.getByText('1 commit to push')).toHaveCount(0);

    // 5. The learner goes on with another notebook (not committed yet); the
    //    instructor publishes an update; "Update the tutorial" brings it in
    //    and both of the learner's edits stay
    await page.evaluate(async (path: string) => {
      await (window as any).jupyterapp.commands.execute('docmanager:open', {
        path
      });
    }, `${tmpPath}/tutorial/02-sea-ice.ipynb`);
    await expect(
      page.getByRole('main').getByRole('tab', { name: /^02-sea-ice\.ipynb/ })
    ).toBeVisible();
    await page.notebook.setCell(1, 'code', SECOND_EDIT);
    await page.notebook.save();
    await expect(
      panel.locator('.cs-Git-file[data-file="02-sea-ice.ipynb"]')
    ).toBeVisible({ timeout: 30000 });
    await control(page.request, origin, 'publish', {
      owner: 'openscapes',
      name: 'tutorial'
    });
    await panel.getByRole('button', { name: 'Update the tutorial' }).click();
    const result = page.locator('.jp-Dialog');
    await expect(result).toContainText('Tutorial updated', { timeout: 60000 });
    await expect(result).toContainText('README.md');
    await result.getByRole('button', { name: 'OK' }).click();
    const readme = await fileText(page, base, `${tmpPath}/tutorial/README.md`);
    expect(readme).toContain('Update from the instructor #1');
    const notebook = await fileText(
      page,
      base,
      `${tmpPath}/tutorial/01-hello.ipynb`
    );
    expect(notebook).toContain('my own analysis');
    const second = await fileText(
      page,
      base,
      `${tmpPath}/tutorial/02-sea-ice.ipynb`
    );
    expect(second).toContain('my sea ice numbers');
  });
});
