import { expect, galata, test } from '@jupyterlab/galata';

/**
 * An open tab that nobody touches stops sending Cloudscapes' requests once the
 * idle setting has passed (here 3 s instead of the default 30 minutes), and
 * the first input refreshes at once rather than at the next interval (a poll
 * that skipped a refresh while the user was away ticks at once).
 */
test.describe('Idle tab', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      '@cloudscapes/usage:idle': { idleMinutes: 0.05 },
      '@cloudscapes/usage:plugin': { refreshInterval: 20 }
    }
  });

  test('polls stop while the user is idle and resume on the next input', async ({
    page
  }) => {
    const polls: number[] = [];
    page.on('request', request => {
      if (new URL(request.url()).pathname.startsWith('/cloudscapes/')) {
        polls.push(Date.now());
      }
    });
    const since = (time: number) => polls.filter(t => t >= time).length;
    // the server ships the setting's schema; the page has the short value
    const setting = await page.evaluate(async () => {
      const registry = (window as any).jupyterapp.serviceManager.settings;
      const settings = await registry.fetch('@cloudscapes/usage:idle');
      return [
        settings.schema.properties.idleMinutes.default,
        JSON.parse(settings.raw).idleMinutes
      ];
    });
    expect(setting).toEqual([30, 0.05]);
    // 3 s after the last input the user is idle: the usage item's next
    // refresh (20 s after the page's first) and any other poll are skipped
    const quiet = Date.now() + 4000;
    await page.waitForTimeout(26000);
    expect(polls.filter(t => t >= quiet)).toEqual([]);
    // the first key press refreshes within a second, not at the next interval
    const back = Date.now();
    await page.keyboard.press('Shift');
    await expect.poll(() => since(back), { timeout: 1500 }).toBeGreaterThan(0);
  });
});
