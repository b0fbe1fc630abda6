/**
 * Playwright benchmarks (ui-tests/bench/, not run by `make test`): Galata against a real
 * JupyterLab whose stand-ins hold 100,000 S3 keys, in Debian's Chromium. `make bench`
 * runs it; `python benchmarks/data_browse.py --ui` turns its JSON into RESULTS.md.
 */
const base = require('./playwright.config');

const port = process.env.CLOUDSCAPES_BENCH_PORT || '8890';

module.exports = {
  ...base,
  testDir: 'bench',
  testMatch: '**/*.bench.ts',
  outputDir: 'test-results/bench',
  retries: 0,
  // scrolling 100 pages of ~0.7 s each, and the server's start with 100,000 keys
  timeout: 15 * 60 * 1000,
  reporter: [['list']],
  use: {
    ...base.use,
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      ...base.use.launchOptions,
      // exact heap figures (not bucketed), and window.gc() before each sample
      args: [
        ...base.use.launchOptions.args,
        '--enable-precise-memory-info',
        '--js-flags=--expose-gc'
      ]
    }
  },
  webServer: {
    ...base.webServer,
    command: 'jupyter lab --config bench/jupyter_server_bench_config.py',
    url: `http://localhost:${port}/lab`,
    timeout: 180 * 1000,
    reuseExistingServer: false
  }
};
