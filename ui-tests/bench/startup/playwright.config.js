/**
 * The startup benchmark (`python benchmarks/startup.py`, part of `make bench`): the same
 * Debian Chromium as the UI tests, no web server of its own (the driver starts the
 * JupyterLab servers it compares and names them in CLOUDSCAPES_STARTUP_PLAN).
 */
const base = require('../../playwright.config');

module.exports = {
  ...base,
  testDir: '.',
  testMatch: 'startup.ts',
  outputDir: '../../test-results/startup',
  retries: 0,
  // 2 sides x (warm-up + runs) pages of ~5-10 s each on a loaded 2-core machine
  timeout: 30 * 60 * 1000,
  reporter: [['list']],
  webServer: undefined
};
