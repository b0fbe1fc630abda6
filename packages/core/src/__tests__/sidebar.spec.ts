import type { JupyterFrontEnd } from '@jupyterlab/application';
import { VDomModel } from '@jupyterlab/ui-components';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import {
  ModelPanel,
  addShowCommand,
  addSidebarPanel,
  findShellWidget
} from '../sidebar';
import { testApp } from './app';

class Model extends VDomModel {
  starts = 0;
  start(): void {
    this.starts++;
  }
}

class Panel extends ModelPanel<Model> {
  render() {
    return null;
  }
}

const icon = new LabIcon({
  name: 'cloudscapes-test:icon',
  svgstr: '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
});

describe('ModelPanel', () => {
  it('starts its model when shown, not before', () => {
    const model = new Model();
    const panel = new Panel(model);
    expect(model.starts).toBe(0);
    panel.hide();
    Widget.attach(panel, document.body);
    expect(model.starts).toBe(0);
    panel.show();
    expect(model.starts).toBe(1);
    panel.dispose();
  });

  it('starts at once when attached visible', () => {
    const model = new Model();
    const panel = new Panel(model);
    Widget.attach(panel, document.body);
    expect(model.starts).toBe(1);
    panel.dispose();
  });
});

describe('addSidebarPanel', () => {
  function app() {
    const shell = {
      add: jest.fn(),
      activateById: jest.fn()
    };
    return { shell } as unknown as JupyterFrontEnd & {
      shell: typeof shell;
    };
  }

  it('puts the panel in the lab sidebar, restored, and shows it by id', () => {
    const lab = app();
    const labShell = { add: jest.fn() };
    const restorer = { add: jest.fn() };
    const panel = new Widget();
    const show = addSidebarPanel(lab, panel, {
      id: 'cs-test-panel',
      area: 'left',
      rank: 450,
      icon,
      caption: 'Test panel',
      labShell: labShell as never,
      restorer: restorer as never
    });
    expect(panel.id).toBe('cs-test-panel');
    expect(panel.title.caption).toBe('Test panel');
    expect(panel.title.icon).toBe(icon);
    expect(labShell.add).toHaveBeenCalledWith(panel, 'left', { rank: 450 });
    expect(restorer.add).toHaveBeenCalledWith(panel, 'cs-test-panel');
    show();
    expect(lab.shell.add).not.toHaveBeenCalled();
    expect(lab.shell.activateById).toHaveBeenCalledWith('cs-test-panel');
  });

  it('adds the panel on first show in a shell without sidebars', () => {
    const lab = app();
    const panel = new Widget();
    const show = addSidebarPanel(lab, panel, {
      id: 'cs-test-panel',
      area: 'right',
      rank: 900,
      icon,
      caption: 'Test panel',
      labShell: null
    });
    show();
    expect(lab.shell.add).toHaveBeenCalledWith(panel, 'right');
    expect(lab.shell.activateById).toHaveBeenCalledWith('cs-test-panel');
  });
});

describe('findShellWidget', () => {
  it('finds a widget of the shell by id, in any area', () => {
    const app = testApp();
    const panel = new Widget();
    panel.id = 'cs-found';
    app.shell.add(panel, 'right');
    expect(findShellWidget(app, 'cs-found')).toBe(panel);
    expect(findShellWidget(app, 'cs-missing')).toBeUndefined();
  });
});

describe('addShowCommand', () => {
  it('shows the panel, with its icon in menus only, and is in the palette', async () => {
    const app = testApp();
    const show = jest.fn();
    const palette = { addItem: jest.fn() };
    addShowCommand(
      app,
      'cs-test:open',
      show,
      { label: 'Show Test', caption: 'The test panel', icon, category: 'Test' },
      palette as never
    );
    expect(app.commands.label('cs-test:open')).toBe('Show Test');
    expect(app.commands.icon('cs-test:open')).toBe(icon);
    expect(app.commands.icon('cs-test:open', { isPalette: true })).toBe(
      undefined
    );
    expect(palette.addItem).toHaveBeenCalledWith({
      command: 'cs-test:open',
      category: 'Test'
    });
    await app.commands.execute('cs-test:open');
    expect(show).toHaveBeenCalledTimes(1);
  });
});
