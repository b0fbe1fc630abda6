/**
 * Benchmark (not a test): JupyterLab's time to ready and the Cloudscapes bytes fetched at
 * start, with the suite and without it, in alternating fresh pages.
 *
 * Run by `python benchmarks/startup.py` (which `make bench` calls): the driver starts
 * the JupyterLab servers, writes their URLs and tokens to the plan file named by
 * CLOUDSCAPES_STARTUP_PLAN and reads back the JSON this spec writes to the plan's `out`.
 *
 * Each run is a new browser context (empty HTTP cache, no cookies, no service worker)
 * and one page that opens `/lab?token=…` and waits for "ready": the first animation
 * frame at which JupyterLab's `app.restored` has resolved and its shell (`#main`) is
 * laid out. Times are `performance.now()`, i.e. from the navigation's start. The same
 * definition holds on every side. Sides alternate (A B, B A, B A, A B, …) after an untimed
 * warm-up page per side (the server's first page and its saved workspace), so that a loaded machine weighs on both alike.
 *
 * Resources: every Resource Timing entry of the page (buffer raised so that none is
 * dropped), with its transfer, encoded and decoded sizes and the Content-Encoding the
 * server answered; the driver sorts out which belong to Cloudscapes.
 */
import { expect, test } from '@playwright/test';
import type { Browser } from '@playwright/test';
import * as fs from 'fs';

interface ISide {
  name: string;
  url: string;
  token: string;
}

interface IPlan {
  sides: ISide[];
  runs: number;
  warmup: number;
  /** ms to keep watching the network after ready (what loads just after start) */
  after_ms: number;
  /** a slower link than loopback, emulated by Chromium (CDP), or null */
  network: { mbit: number; rtt_ms: number } | null;
  out: string;
}

const PLAN_FILE = process.env.CLOUDSCAPES_STARTUP_PLAN;

/**
 * Runs in the page before any of its scripts: catches the assignment of
 * `window.jupyterapp` (Galata's `expose_app_in_browser`) to follow `started` and
 * `restored`, then polls every frame for the shell.
 */
function installProbe(): void {
  performance.setResourceTimingBufferSize(100000);
  const state: Record<string, number> = {};
  (window as any).__csStartup = state;
  let app: any;
  Object.defineProperty(window, 'jupyterapp', {
    configurable: true,
    enumerable: true,
    get: () => app,
    set: (value: any) => {
      app = value;
      state.app_ms = performance.now();
      void value.started.then(() => (state.started_ms = performance.now()));
      void value.restored.then(() => {
        state.restored_ms = performance.now();
        const check = () => {
          const shell = document.getElementById('main');
          const box = shell?.getBoundingClientRect();
          if (shell && box && box.width > 0 && box.height > 0) {
            state.ready_ms = performance.now();
          } else {
            requestAnimationFrame(check);
          }
        };
        requestAnimationFrame(check);
      });
    }
  });
  const splash = () => {
    if (
      state.ready_ms !== undefined &&
      !document.getElementById('jupyterlab-splash')
    ) {
      state.splash_gone_ms = performance.now();
    } else {
      requestAnimationFrame(splash);
    }
  };
  requestAnimationFrame(splash);
}

async function openOnce(
  browser: Browser,
  side: ISide,
  afterMs: number,
  network: IPlan['network']
) {
  const context = await browser.newContext({
    viewport: { width: 1024, height: 768 }
  });
  try {
    const page = await context.newPage();
    const encodings: Record<string, string> = {};
    const statuses: Record<string, number> = {};
    page.on('response', response => {
      const url = response.url();
      encodings[url] = response.headers()['content-encoding'] ?? '';
      statuses[url] = response.status();
    });
    const errors: string[] = [];
    page.on('pageerror', error => errors.push(String(error)));
    await page.addInitScript(installProbe);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (network) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: network.rtt_ms,
        downloadThroughput: (network.mbit * 1e6) / 8,
        uploadThroughput: (network.mbit * 1e6) / 8
      });
    }
    await page.goto(`${side.url}?token=${side.token}`);
    await page.waitForFunction(
      () => (window as any).__csStartup?.ready_ms !== undefined,
      undefined,
      { timeout: 120000, polling: 50 }
    );
    // the renderer's busy time so far (less sensitive to the machine's load than the
    // wall clock): script parse/compile/run, and all of its main-thread tasks
    const metrics = Object.fromEntries(
      (await cdp.send('Performance.getMetrics')).metrics.map(m => [
        m.name,
        m.value
      ])
    );
    await page.waitForTimeout(afterMs);
    // Let the page's last requests end (JupyterLab's build check takes seconds of the
    // server's CPU) so that they do not weigh on the next side's page.
    await page
      .waitForLoadState('networkidle', { timeout: 20000 })
      .catch(() => undefined);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType(
        'navigation'
      )[0] as PerformanceNavigationTiming;
      return {
        ...(window as any).__csStartup,
        dom_content_loaded_ms: nav.domContentLoadedEventEnd,
        load_ms: nav.loadEventEnd,
        resources: performance.getEntriesByType('resource').map(e => {
          const r = e as PerformanceResourceTiming;
          return {
            url: r.name,
            type: r.initiatorType,
            start_ms: r.startTime,
            end_ms: r.responseEnd,
            transfer: r.transferSize,
            encoded: r.encodedBodySize,
            decoded: r.decodedBodySize
          };
        })
      };
    });
    for (const resource of timing.resources) {
      resource.encoding = encodings[resource.url] ?? '';
      resource.status = statuses[resource.url] ?? 0;
    }
    return {
      side: side.name,
      errors,
      ...timing,
      script_ms: metrics.ScriptDuration * 1000,
      task_ms: metrics.TaskDuration * 1000,
      heap_bytes: metrics.JSHeapUsedSize
    };
  } finally {
    await context.close();
  }
}

test('JupyterLab startup with and without Cloudscapes', async ({ browser }) => {
  expect(
    PLAN_FILE,
    'CLOUDSCAPES_STARTUP_PLAN names the plan file'
  ).toBeTruthy();
  const plan: IPlan = JSON.parse(fs.readFileSync(PLAN_FILE!, 'utf8'));
  const results: Record<string, any> = {
    when: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    browser: browser.version(),
    viewport: '1024x768',
    network: plan.network,
    warmup: [],
    runs: []
  };
  const save = () => fs.writeFileSync(plan.out, JSON.stringify(results) + '\n');
  for (let i = 0; i < plan.warmup; i++) {
    for (const side of plan.sides) {
      results.warmup.push(await openOnce(browser, side, 0, plan.network));
    }
  }
  for (let i = 0; i < plan.runs; i++) {
    // A B, B A, B A, A B, ...; with three sides A B C, C B A, B C A, A C B, ...: each
    // side comes first, last and after each other side alike
    const k = Math.floor(i / 2) % plan.sides.length;
    const order = [...plan.sides.slice(k), ...plan.sides.slice(0, k)];
    if (i % 2 === 1) {
      order.reverse();
    }
    for (const side of order) {
      const run = await openOnce(browser, side, plan.after_ms, plan.network);
      results.runs.push({ round: i, ...run });
      console.log(
        `  round ${i + 1}/${plan.runs} ${side.name}: ready ${(run.ready_ms / 1000).toFixed(2)} s`
      );
      save();
    }
  }
  save();
});
