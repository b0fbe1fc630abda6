/**
 * Benchmark (not a test; `make bench`, playwright.bench.config.js): the data browser on
 * long lists, in Chromium against the stand-ins with 100,000 keys under `many/`.
 *
 * 1. Scroll the S3 listing of `many/` to its end page by page, sampling the rows in the
 *    DOM and the JS heap after each page.
 * 2. With `pageSize` 2000, open the 10,000-granule collection DEMO_SST_SWATHS: time from
 *    the click to "2,000 loaded" with rows shown, and the same request alone.
 *
 * The figures go to test-results/bench/data-browser.json, which
 * `python benchmarks/data_browse.py --ui` turns into a section of benchmarks/RESULTS.md.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { openBrowser, openManyListing } from '../helpers/dataBrowser';

// in the bench run's outputDir: emptied when a run starts, ignored by git and linters
const OUT = path.join(
  __dirname,
  '..',
  'test-results',
  'bench',
  'data-browser.json'
);
const GRANULE_RUNS = Number(process.env.CLOUDSCAPES_BENCH_GRANULE_RUNS || 10);
const MANY = Number(process.env.CLOUDSCAPES_BENCH_MANY || 100000);

const results: Record<string, any> = {
  when: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  many: MANY,
  viewport: '1024x768'
};

function save() {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');
}

test.use({
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    '@cloudscapes/data-browser:plugin': { pageSize: 2000 }
  }
});

interface ISample {
  loaded: number;
  done: boolean;
  rows: number;
  heap: number;
  page_ms: number;
  t: number;
}

/**
 * Scroll the listing to its end until the count grows (or says all are loaded); the
 * rows in the DOM and the heap (after a GC) once the page is shown.
 */
async function nextPage(page: Page, previous: number): Promise<ISample> {
  return await page.evaluate(async (prev: number) => {
    const panel = document.querySelector('#cloudscapes-data-browser')!;
    const list = panel.querySelector('.cs-S3Listing-list') as HTMLElement;
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    const count = () => {
      const all = panel.querySelectorAll('.cs-PagedResults-count');
      return (all[all.length - 1] as HTMLElement).textContent ?? '';
    };
    const parse = (text: string) =>
      Number((text.match(/[\d,]+/) ?? ['0'])[0].replace(/,/g, ''));
    const started = performance.now();
    for (;;) {
      list.scrollTop = list.scrollHeight;
      await frame();
      const text = count();
      const loaded = parse(text);
      const done = !/of many/.test(text);
      if (loaded > prev || done) {
        const pageMs = performance.now() - started;
        await frame(); // the windowed list follows the scroll
        const rows = document.querySelectorAll('.cs-DataList-row').length;
        (window as any).gc?.();
        const heap = (performance as any).memory.usedJSHeapSize as number;
        return { loaded, done, rows, heap, page_ms: pageMs, t: 0 };
      }
      if (performance.now() - started > 60000) {
        throw new Error(`no new page after ${prev} keys: "${text}"`);
      }
    }
  }, previous);
}

test.describe.serial('Data browser benchmark', () => {
  test('scroll 100,000 keys: DOM rows and heap', async ({ page }) => {
    results.browser = page.context().browser()?.version() ?? '?';
    results.galata = JSON.parse(
      fs.readFileSync(
        require.resolve('@jupyterlab/galata/package.json'),
        'utf8'
      )
    ).version;
    const panel = await openBrowser(page);
    await openManyListing(panel, 30000);
    const first = await nextPage(page, 0);
    const samples: ISample[] = [first];
    const started = Date.now();
    let last = first;
    while (!last.done) {
      last = await nextPage(page, last.loaded);
      last.t = Date.now() - started;
      samples.push(last);
      if (samples.length % 10 === 0) {
        console.log(
          `  ${last.loaded} keys loaded, ${last.rows} rows, ${(last.heap / 1e6).toFixed(1)} MB`
        );
      }
    }
    results.scroll = { pages: samples.length, samples };
    save();
    expect(last.loaded).toBeGreaterThanOrEqual(MANY - 100);
  });

  test('render a 2,000-granule page', async ({ page }) => {
    const panel = await openBrowser(page);
    await panel.locator('[role=tab][data-tab="search"]').click();
    await panel.locator('.cs-DataSearch-keyword').fill('DEMO_SST_SWATHS');
    await panel.locator('.cs-DataSearch-submit').click();
    const row = panel.locator('.cs-CollectionResults-list .cs-DataList-row', {
      hasText: 'DEMO_SST_SWATHS'
    });
    let url = '';
    page.on('request', request => {
      if (
        /\/cloudscapes\/data\/collections\/[^/]+\/granules\?/.test(
          request.url()
        )
      ) {
        url = request.url();
      }
    });
    const total: number[] = [];
    const request: number[] = [];
    const response: number[] = [];
    const rows: number[] = [];
    // one untimed warm-up, then GRANULE_RUNS timed opens, each followed by the request
    for (let i = 0; i <= GRANULE_RUNS; i++) {
      await expect(row.first()).toBeVisible({ timeout: 30000 });
      const ms = await page.evaluate(async () => {
        const panel = document.querySelector('#cloudscapes-data-browser')!;
        const target = Array.from(
          panel.querySelectorAll('.cs-CollectionResults-list .cs-DataList-row')
        ).find(el =>
          el.textContent?.includes('DEMO_SST_SWATHS')
        ) as HTMLElement;
        const frame = () =>
          new Promise(resolve => requestAnimationFrame(resolve));
        performance.clearResourceTimings();
        const started = performance.now();
        target.click();
        for (;;) {
          await frame();
          const count = panel.querySelector(
            '.cs-CollectionView .cs-PagedResults-count'
          );
          const rows = panel.querySelectorAll(
            '.cs-CollectionView-granules .cs-DataList-row'
          );
          if (
            /2,000 loaded/.test(count?.textContent ?? '') &&
            rows.length > 0
          ) {
            const shown = performance.now();
            // the page's own request, as the browser timed it
            const entry = performance
              .getEntriesByType('resource')
              .filter(e => /\/granules\?/.test(e.name))
              .pop() as PerformanceResourceTiming | undefined;
            return {
              total: shown - started,
              response: entry ? entry.responseEnd - started : NaN,
              rows: rows.length
            };
          }
          if (performance.now() - started > 60000) {
            throw new Error(`granules not shown: "${count?.textContent}"`);
          }
        }
      });
      expect(url).toContain('page_size=2000');
      const fetched = await page.evaluate(async (u: string) => {
        const started = performance.now();
        const response = await fetch(u, { credentials: 'same-origin' });
        const body = await response.json();
        const ms = performance.now() - started;
        if (!response.ok || body.items.length !== 2000) {
          throw new Error(`bare request: ${response.status}`);
        }
        return ms;
      }, url);
      if (i > 0) {
        total.push(ms.total);
        response.push(ms.response);
        request.push(fetched);
        rows.push(ms.rows);
      }
      await panel.locator('.cs-CollectionView-back').click();
    }
    results.granules = {
      // JupyterLab appends a cache-busting timestamp to GET requests
      url: (new URL(url).pathname + new URL(url).search).replace(/&\d+$/, ''),
      total_ms: total,
      // click to the end of the page's own request (Resource Timing)
      response_ms: response,
      request_ms: request,
      rows_in_dom: rows
    };
    save();
  });
});
