import { Widget } from '@lumino/widgets';
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { LabIcon } from '@jupyterlab/ui-components';

import { LazyPanel, addLazySidebarPanel } from '../lazy';

function content(): Widget {
  const widget = new Widget();
  widget.node.textContent = 'loaded';
  return widget;
}

describe('LazyPanel', () => {
  it('builds nothing until it is shown', async () => {
    const build = jest.fn(async () => content());
    const panel = new LazyPanel(build);
    panel.hide();
    Widget.attach(panel, document.body);
    expect(build).not.toHaveBeenCalled();
    expect(panel.content).toBeNull();

    panel.show();
    const built = await panel.load();
    expect(build).toHaveBeenCalledTimes(1);
    expect(panel.content).toBe(built);
    expect(panel.node.textContent).toBe('loaded');
    // showing again (or a command's load()) does not build twice
    panel.hide();
    panel.show();
    await panel.load();
    expect(build).toHaveBeenCalledTimes(1);
    panel.dispose();
  });

  it('shows a failure and tries again on the next load', async () => {
    const build = jest
      .fn<Promise<Widget>, []>()
      .mockRejectedValueOnce(new Error('Loading chunk 7 failed.'))
      .mockResolvedValueOnce(content());
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    const panel = new LazyPanel(build);
    await expect(panel.load()).rejects.toThrow('Loading chunk 7 failed.');
    expect(panel.node.textContent).toBe('Loading chunk 7 failed.');
    await panel.load();
    expect(panel.node.textContent).toBe('loaded');
    expect(build).toHaveBeenCalledTimes(2);
    error.mockRestore();
    panel.dispose();
  });
});

describe('addLazySidebarPanel', () => {
  it('adds a placeholder at once and builds the view on show', async () => {
    const shell = { add: jest.fn(), activateById: jest.fn() };
    const labShell = { add: jest.fn() };
    const app = { shell } as unknown as JupyterFrontEnd;
    const panel = content();
    const build = jest.fn(async () => ({ panel, model: 'the model' }));
    const lazy = addLazySidebarPanel(app, build, {
      id: 'cs-lazy-test',
      area: 'left',
      rank: 470,
      icon: new LabIcon({ name: 'cs-test:lazy', svgstr: '<svg></svg>' }),
      caption: 'Lazy',
      labShell: labShell as never
    });
    const host = labShell.add.mock.calls[0][0] as LazyPanel<Widget>;
    expect(host.id).toBe('cs-lazy-test');
    expect(build).not.toHaveBeenCalled();
    expect(lazy.view).toBeNull();
    let ready = false;
    void lazy.ready.then(() => (ready = true));

    const view = await lazy.show();
    expect(shell.activateById).toHaveBeenCalledWith('cs-lazy-test');
    expect(view.model).toBe('the model');
    expect(lazy.view).toBe(view);
    expect(host.content).toBe(panel);
    await lazy.load();
    expect(build).toHaveBeenCalledTimes(1);
    expect(ready).toBe(true);
    host.dispose();
  });
});
