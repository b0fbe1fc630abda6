import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { requestAPI } from '@cloudscapes/core';

import { DashboardPane, createDashboard } from '../dashboard';
import { DaskModel } from '../model';
import { cluster, clusterList, plot } from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;
const trans = nullTranslator.load('cloudscapes');
const taskStream = plot('individual-task-stream', 'Task Stream');
// the iframe loads the plot's address resolved against the page
const taskStreamUrl = new URL(taskStream.url, document.baseURI).href;

function pane(
  model: DaskModel,
  id = 'local-1a2b',
  shown = taskStream
): DashboardPane {
  const widget = new DashboardPane({
    model,
    clusterId: id,
    clusterName: 'my-cluster',
    plot: shown,
    trans
  });
  Widget.attach(widget, document.body);
  return widget;
}

describe('DashboardPane', () => {
  beforeEach(() => {
    request.mockReset();
    request.mockResolvedValue(clusterList([cluster()]));
  });

  it('shows the plot in an iframe while the cluster runs', () => {
    const model = new DaskModel();
    model.setList(clusterList([cluster()]));
    const widget = pane(model);
    const frame = widget.node.querySelector('iframe')!;
    expect(frame.getAttribute('src')).toBe(taskStreamUrl);
    expect(frame.title).toBe('Task Stream of Dask cluster my-cluster');
    expect(widget.isGone).toBe(false);
    expect(widget.node.textContent).not.toContain('shut down');
    // an open dashboard keeps the list fresh even with the panel closed
    expect(model.started).toBe(true);
    widget.dispose();
    model.dispose();
  });

  it('drops its iframe when the cluster disappears from the list', () => {
    const model = new DaskModel();
    model.setList(clusterList([cluster()]));
    const widget = pane(model);
    const frame = widget.node.querySelector('iframe')!;
    model.setList(clusterList([]));
    expect(widget.node.querySelector('iframe')).toBeNull();
    expect(frame.getAttribute('src')).toBe('about:blank');
    expect(frame.isConnected).toBe(false);
    expect(widget.isGone).toBe(true);
    const notice = widget.node.querySelector('[role="status"]')!;
    expect(notice.textContent).toContain('This cluster has shut down');
    // it does not come back
    model.setList(clusterList([cluster()]));
    expect(widget.node.querySelector('iframe')).toBeNull();
    widget.dispose();
    model.dispose();
  });

  it('disconnects while nobody can see it, and reconnects when shown', () => {
    const model = new DaskModel();
    model.setList(clusterList([cluster()]));
    const widget = pane(model);
    const frame = widget.node.querySelector('iframe')!;
    // behind another tab: no websocket frames reach the hub's proxy
    widget.hide();
    expect(frame.getAttribute('src')).toBe('about:blank');
    expect(widget.isPaused).toBe(true);
    widget.show();
    expect(frame.getAttribute('src')).toBe(taskStreamUrl);
    expect(widget.isPaused).toBe(false);
    // the browser tab hidden
    const visibility = jest
      .spyOn(document, 'visibilityState', 'get')
      .mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(frame.getAttribute('src')).toBe('about:blank');
    visibility.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(frame.getAttribute('src')).toBe(taskStreamUrl);
    visibility.mockRestore();
    widget.dispose();
    model.dispose();
  });

  it('keeps a gateway dashboard when only the gateway could not be listed', () => {
    const model = new DaskModel();
    const gw = cluster({
      id: 'default.abc',
      name: 'default.abc',
      backend: 'gateway'
    });
    model.setList(clusterList([gw]));
    const widget = pane(model, 'default.abc');
    const failed = {
      backend: 'gateway' as const,
      error: { error: { code: 'gateway_timeout', message: 'slow', hint: '' } }
    };
    model.setList(clusterList([], { errors: [failed] }));
    expect(widget.isGone).toBe(false);
    model.setList(clusterList([]));
    expect(widget.isGone).toBe(true);
    widget.dispose();
    model.dispose();
  });

  it('drops its iframe when the cluster stops or fails', () => {
    for (const status of ['stopping', 'stopped', 'failed'] as const) {
      const model = new DaskModel();
      model.setList(clusterList([cluster()]));
      const widget = pane(model);
      model.setList(clusterList([cluster({ status })]));
      expect(widget.node.querySelector('iframe')).toBeNull();
      expect(widget.node.textContent).toContain('This cluster has shut down');
      widget.dispose();
      model.dispose();
    }
  });

  it('shows no iframe at all for a cluster that is already gone', () => {
    const model = new DaskModel();
    model.setList(clusterList([]));
    const widget = pane(model, 'local-old');
    expect(widget.node.querySelector('iframe')).toBeNull();
    expect(widget.node.textContent).toContain('This cluster has shut down');
    widget.dispose();
    model.dispose();
  });

  it('never loads a plot address that is not http(s)', () => {
    const model = new DaskModel();
    model.setList(clusterList([cluster()]));
    for (const url of [
      'javascript:parent.__xss=1',
      'data:text/html,<script>parent.__xss=1</script>'
    ]) {
      const widget = pane(model, 'local-1a2b', {
        ...taskStream,
        url
      });
      expect(widget.node.querySelector('iframe')).toBeNull();
      expect(widget.node.textContent).toContain('This plot cannot be shown');
      // showing it again does not load it either
      widget.hide();
      widget.show();
      expect(widget.node.querySelector('iframe')).toBeNull();
      // and the cluster's end still says so
      model.setList(clusterList([]));
      expect(widget.node.textContent).toContain('This cluster has shut down');
      expect(widget.node.textContent).not.toContain('cannot be shown');
      model.setList(clusterList([cluster()]));
      widget.dispose();
    }
    model.dispose();
  });

  it('is a closable main-area tab named after the plot and the cluster', () => {
    const model = new DaskModel();
    model.setList(clusterList([cluster()]));
    const widget = createDashboard({
      model,
      clusterId: 'local-1a2b',
      clusterName: 'my-cluster',
      plot: taskStream,
      trans
    });
    expect(widget.title.label).toBe('Task Stream · my-cluster');
    expect(widget.title.closable).toBe(true);
    expect(widget.content.plot).toEqual(taskStream);
    widget.dispose();
    expect(widget.content.isDisposed).toBe(true);
    model.dispose();
  });
});
