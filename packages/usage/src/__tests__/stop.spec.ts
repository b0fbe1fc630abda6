import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';

import { CommandIDs, addCommands } from '../commands';
import { UsageModel } from '../model';
import { navigation } from '../stop';
import { testApp } from '../../../core/src/__tests__/app';
import { makeUsage } from './fixture';

jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showDialog: jest.fn()
}));

const trans = nullTranslator.load('cloudscapes');
const dialog = showDialog as jest.MockedFunction<typeof showDialog>;

type Answer = Response | Error;

/**
 * What the server, then the proxy and hub, answer the page, in order: the stop's
 * POST first, then each look of the follow (`GET usage/stop`).
 */
function serverAnswering(post: Answer, ...looks: Answer[]) {
  const seen: string[] = [];
  jest
    .spyOn(ServerConnection, 'makeRequest')
    .mockImplementation(async (url: string, init: RequestInit) => {
      seen.push(`${init.method ?? 'GET'} ${new URL(url).pathname}`);
      const answer =
        init.method === 'POST' ? post : (looks.shift() ?? new TypeError('x'));
      if (answer instanceof Error) {
        throw answer;
      }
      return answer;
    });
  return seen;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  });
const stopping = () => json(200, { status: 'stopping', error: null });
const ACCEPTED = () => json(202, { status: 'stopping', redirect: '/hub/home' });
// the server's redirect, resolved against the page
const HUB_HOME = new URL('/hub/home', document.baseURI).href;

/** Models made by a test, disposed after it (a model polls once a stop failed). */
const models: UsageModel[] = [];

afterEach(() => {
  models.splice(0).forEach(model => model.dispose());
});

function setup(hubPresent = true) {
  const app = testApp();
  const model = new UsageModel();
  models.push(model);
  const usage = makeUsage();
  model.setUsage({ ...usage, hub: { ...usage.hub, present: hubPresent } });
  addCommands(app, model, trans, null);
  // follow quickly
  const stop = model.stopServer.bind(model);
  jest
    .spyOn(model, 'stopServer')
    .mockImplementation(() => stop({ interval: 5, timeout: 500 }));
  const go = jest.spyOn(navigation, 'go').mockImplementation(() => undefined);
  const error = jest.spyOn(Notification, 'error').mockReturnValue('');
  const emit = jest.spyOn(Notification, 'emit').mockReturnValue('progress');
  const dismiss = jest
    .spyOn(Notification, 'dismiss')
    .mockImplementation(() => undefined);
  dialog.mockResolvedValue({
    button: Dialog.warnButton(),
    isChecked: null,
    value: null
  });
  return { app, model, go, error, emit, dismiss };
}

describe('Stop my server under a hub', () => {
  afterEach(() => {
    PageConfig.setOption('hubPrefix', '');
    PageConfig.setOption('hubHost', '');
    jest.restoreAllMocks();
  });

  it('follows the stop until the server is gone, then goes to the hub home', async () => {
    const { app, model, go, error, emit, dismiss } = setup();
    const seen = serverAnswering(
      ACCEPTED(),
      stopping(),
      stopping(),
      new TypeError('Failed to fetch') // the hub took the server down
    );
    await app.commands.execute(CommandIDs.stop);
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(seen).toEqual([
      'POST /cloudscapes/usage/stop',
      'GET /cloudscapes/usage/stop',
      'GET /cloudscapes/usage/stop',
      'GET /cloudscapes/usage/stop'
    ]);
    expect(go).toHaveBeenCalledWith(HUB_HOME);
    expect(error).not.toHaveBeenCalled();
    expect(emit.mock.calls[0].slice(0, 2)).toEqual([
      'Stopping your server…',
      'in-progress'
    ]);
    expect(dismiss).toHaveBeenCalledWith('progress');
    expect(model.busy).toBe(false);
  });

  it('takes the proxy’s 503 for the stop itself as “stopping”', async () => {
    const { app, go, error } = setup();
    serverAnswering(
      new Response('socket hang up', { status: 503 }),
      new Response('<html>Server not running</html>', { status: 424 })
    );
    await app.commands.execute(CommandIDs.stop);
    expect(error).not.toHaveBeenCalled();
    expect(go).toHaveBeenCalledWith(HUB_HOME);
  });

  it('takes the hub’s login page for a gone server, and goes to the page config’s hub', async () => {
    const { app, go } = setup();
    PageConfig.setOption('hubHost', 'https://hub.example.org');
    PageConfig.setOption('hubPrefix', '/hub/');
    serverAnswering(
      ACCEPTED(),
      new Response('<!doctype html><title>Sign in</title>', { status: 200 })
    );
    await app.commands.execute(CommandIDs.stop);
    expect(go).toHaveBeenCalledWith('https://hub.example.org/hub/home');
  });

  it('goes to the hub home when the hub reports the server stopped', async () => {
    const { app, go } = setup();
    serverAnswering(
      ACCEPTED(),
      stopping(),
      json(200, { status: 'stopped', error: null })
    );
    await app.commands.execute(CommandIDs.stop);
    expect(go).toHaveBeenCalledWith(HUB_HOME);
  });

  it('says why when the hub refuses after the answer', async () => {
    const { app, go, error } = setup();
    serverAnswering(
      ACCEPTED(),
      json(200, {
        status: 'failed',
        error: {
          code: 'hub_error',
          message: 'The hub answered 400 when asked to stop this server.',
          hint: 'Try again, or stop the server from the hub’s control panel: /hub/home'
        }
      })
    );
    await app.commands.execute(CommandIDs.stop);
    expect(go).not.toHaveBeenCalled();
    expect(error.mock.calls[0][0]).toBe(
      'The server was not stopped. The hub answered 400 when asked to stop this server. Try again, or stop the server from the hub’s control panel: /hub/home'
    );
  });

  it('keeps refreshing the status after the hub refused the stop', async () => {
    const { app, model, error } = setup();
    const seen = serverAnswering(
      ACCEPTED(),
      json(200, {
        status: 'failed',
        error: { code: 'hub_error', message: 'The hub answered 400.', hint: '' }
      }),
      json(200, makeUsage())
    );
    await app.commands.execute(CommandIDs.stop);
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(seen).toEqual([
      'POST /cloudscapes/usage/stop',
      'GET /cloudscapes/usage/stop',
      'GET /cloudscapes/usage' // polling again at once
    ]);
    expect(error.mock.calls[0][0]).toMatch(/400/);
    expect((model as any)._poll).not.toBeNull();
  });

  it('does not take the server’s own 502 (hub unreachable) for a stopped server', async () => {
    const { app, go, error } = setup();
    const seen = serverAnswering(
      json(502, {
        error: {
          code: 'hub_unreachable',
          message: 'The hub could not be reached.',
          hint: 'Try again in a minute.'
        }
      })
    );
    await app.commands.execute(CommandIDs.stop);
    expect(seen).toEqual(['POST /cloudscapes/usage/stop']);
    expect(go).not.toHaveBeenCalled();
    expect(error.mock.calls[0][0]).toBe(
      'The server was not stopped. The hub could not be reached. Try again in a minute.'
    );
  });

  it('says so when the server, still running, was never asked to stop', async () => {
    const { app, go, error } = setup();
    serverAnswering(ACCEPTED(), json(200, { status: 'running', error: null }));
    await app.commands.execute(CommandIDs.stop);
    expect(go).not.toHaveBeenCalled();
    expect(error.mock.calls[0][0]).toMatch(
      /still running: the stop did not reach it/
    );
  });

  it('names the scope the admin must grant when the server refuses at once', async () => {
    const { app, go, error } = setup();
    serverAnswering(
      json(403, {
        error: {
          code: 'hub_forbidden',
          message:
            'The hub refused to stop this server: the server’s token lacks the scope delete:servers!server.',
          hint: 'Hub admins can allow this button by adding it to c.Spawner.server_token_scopes.'
        }
      })
    );
    await app.commands.execute(CommandIDs.stop);
    expect(go).not.toHaveBeenCalled();
    expect(error.mock.calls[0][0]).toMatch(
      /delete:servers!server.*c\.Spawner\.server_token_scopes/
    );
  });

  it('never follows a redirect that is not http(s)', async () => {
    const { app, go } = setup();
    const info = jest.spyOn(Notification, 'info').mockReturnValue('');
    serverAnswering(
      json(202, { status: 'stopping', redirect: 'javascript:window.__xss=1' }),
      new TypeError('Failed to fetch')
    );
    await app.commands.execute(CommandIDs.stop);
    expect(go).not.toHaveBeenCalled();
    expect(info.mock.calls[0][0]).toBe(
      'Your server is shutting down. You can close this tab.'
    );
  });

  it('goes to the hub home after following a slow stop to the deadline', async () => {
    const { app, go } = setup();
    const looks = Array.from({ length: 500 }, stopping);
    serverAnswering(ACCEPTED(), ...looks);
    await app.commands.execute(CommandIDs.stop);
    expect(go).toHaveBeenCalledWith(HUB_HOME);
  });
});

describe('Stop my server outside a hub', () => {
  afterEach(() => jest.restoreAllMocks());

  it('says the server shuts down and follows nothing', async () => {
    const { app, go } = setup(false);
    const info = jest.spyOn(Notification, 'info').mockReturnValue('');
    const seen = serverAnswering(
      json(200, { status: 'shutting_down', redirect: null })
    );
    await app.commands.execute(CommandIDs.stop);
    expect(seen).toEqual(['POST /cloudscapes/usage/stop']);
    expect(go).not.toHaveBeenCalled();
    expect(info.mock.calls[0][0]).toBe(
      'Your server is shutting down. You can close this tab.'
    );
  });

  it('reports a network failure as a failure (no hub to have stopped it)', async () => {
    const { app, error } = setup(false);
    serverAnswering(new TypeError('Failed to fetch'));
    await app.commands.execute(CommandIDs.stop);
    expect(error.mock.calls[0][0]).toMatch(/^The server was not stopped\./);
  });
});
