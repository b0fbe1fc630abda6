/**
 * Galata specs through a real JupyterHub (ui-tests/hub/*.hub.ts): `python -m
 * cloudscapes.testing.realhub` starts the hub (configurable-http-proxy, the local
 * spawner, alice and bob) as the web server, and stops it, with every server it
 * spawned, on SIGTERM. `make uihub` (part of `make test`) runs them.
 */
const base = require('./playwright.config');

const port = process.env.CLOUDSCAPES_HUB_PORT || '18000';

module.exports = {
  ...base,
  testDir: 'hub',
  // *.hub.ts: the default config (every *.spec.ts) must not pick these up
  testMatch: '**/*.hub.ts',
  outputDir: 'test-results/hub',
  // a spawn, the lab's first load and a stop
  timeout: 3 * 60 * 1000,
  use: {
    ...base.use,
    baseURL: `http://127.0.0.1:${port}`
  },
  webServer: {
    command: `python -m cloudscapes.testing.realhub --port ${port}`,
    url: `http://127.0.0.1:${port}/hub/api/`,
    timeout: 120 * 1000,
    reuseExistingServer: false,
    // SIGTERM lets the launcher stop the hub, its proxy, culler and servers
    gracefulShutdown: { signal: 'SIGTERM', timeout: 60 * 1000 },
    stdout: 'pipe'
  }
};
