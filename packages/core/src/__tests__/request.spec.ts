import { ServerConnection } from '@jupyterlab/services';

import { CloudscapesRequestError, cloudscapesUrl } from '../request';

const settings = ServerConnection.makeSettings({
  baseUrl: 'http://localhost:8888/user/alice/'
});

describe('cloudscapesUrl', () => {
  it('puts routes under {baseUrl}/cloudscapes', () => {
    expect(cloudscapesUrl('usage', { settings })).toBe(
      'http://localhost:8888/user/alice/cloudscapes/usage'
    );
  });

  it('marks polled requests so they are not activity', () => {
    expect(cloudscapesUrl('usage', { settings, track: false })).toBe(
      'http://localhost:8888/user/alice/cloudscapes/usage?no_track_activity=1'
    );
    expect(
      cloudscapesUrl('usage', { settings, track: false, params: { page: 2 } })
    ).toBe(
      'http://localhost:8888/user/alice/cloudscapes/usage?page=2&no_track_activity=1'
    );
  });
});

describe('CloudscapesRequestError', () => {
  it("carries the server's message and hint", () => {
    const error = CloudscapesRequestError.fromResponse(403, {
      error: {
        code: 'hub_forbidden',
        message: 'The hub refused to stop this server.',
        hint: 'Ask your admin.'
      }
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(403);
    expect(error.code).toBe('hub_forbidden');
    expect(error.message).toBe('The hub refused to stop this server.');
    expect(error.hint).toBe('Ask your admin.');
  });

  it('explains answers without an error body', () => {
    const error = CloudscapesRequestError.fromResponse(404, null);
    expect(error.code).toBe('unexpected_response');
    expect(error.message).toContain('404');
    expect(error.hint).toContain('server extension');
  });
});

describe('requestAPI', () => {
  function settingsAnswering(status: number, body: string | Error) {
    const calls: Request[] = [];
    const fetch = async (input: RequestInfo, init?: RequestInit) => {
      calls.push(new Request(input, init));
      if (body instanceof Error) {
        throw body;
      }
      return new Response(body, { status });
    };
    return {
      calls,
      settings: ServerConnection.makeSettings({
        baseUrl: 'http://localhost:8888/',
        fetch: fetch as typeof window.fetch,
        Request,
        Headers
      })
    };
  }

  it('parses JSON answers and sends JSON bodies', async () => {
    const { calls, settings } = settingsAnswering(
      200,
      '{"keepalive_until": null}'
    );
    const { requestAPI } = await import('../request');
    await expect(
      requestAPI(
        'usage/keepalive',
        { method: 'POST', body: '{"minutes": 5}' },
        { settings }
      )
    ).resolves.toEqual({ keepalive_until: null });
    expect(calls[0].method).toBe('POST');
    expect(calls[0].headers.get('Content-Type')).toBe('application/json');
  });

  it('rejects with the server message and hint', async () => {
    const { settings } = settingsAnswering(
      400,
      '{"error": {"code": "keepalive_out_of_range", "message": "Too long.", "hint": "Choose less."}}'
    );
    const { requestAPI } = await import('../request');
    await expect(
      requestAPI('usage/keepalive', {}, { settings })
    ).rejects.toMatchObject({
      status: 400,
      code: 'keepalive_out_of_range',
      message: 'Too long.',
      hint: 'Choose less.'
    });
  });

  it('turns network failures into a plain-words error', async () => {
    const { settings } = settingsAnswering(0, new TypeError('Failed to fetch'));
    const { requestAPI } = await import('../request');
    await expect(requestAPI('usage', {}, { settings })).rejects.toMatchObject({
      code: 'network_error',
      message: 'The Jupyter server could not be reached.'
    });
  });
});
