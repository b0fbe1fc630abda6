import { nullTranslator } from '@jupyterlab/translation';

import { CloudscapesRequestError, requestAPI } from '@cloudscapes/core';

import { DaskModel } from '../model';
import { DaskPanel } from '../panel';
import type { IPanelActions } from '../tokens';
import {
  cluster,
  clusterList,
  gatewayBackend,
  job,
  localBackend,
  plot
} from './fixture';
import { attached, settle } from '../../../core/src/__tests__/render';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;
const trans = nullTranslator.load('cloudscapes');

function actions(): jest.Mocked<IPanelActions> {
  return {
    create: jest.fn().mockResolvedValue(true),
    scale: jest.fn().mockResolvedValue(undefined),
    adapt: jest.fn().mockResolvedValue(undefined),
    shutdown: jest.fn(),
    remove: jest.fn(),
    shutdownAll: jest.fn(),
    insertCode: jest.fn(),
    openPlot: jest.fn()
  };
}

/**
 * A model with the backends and a list, and no polling.
 */
function modelWith(
  clusters = [cluster()],
  overrides: Parameters<typeof clusterList>[1] = {}
): DaskModel {
  const model = new DaskModel();
  (model as any)._backends = [localBackend(), gatewayBackend()];
  model.start = () => undefined;
  model.setList(clusterList(clusters, overrides));
  return model;
}

async function rendered(model: DaskModel, panelActions = actions()) {
  const panel = await attached(new DaskPanel(model, trans, panelActions));
  const $ = <T extends Element = HTMLElement>(selector: string) =>
    panel.node.querySelector(selector) as T;
  const $$ = <T extends Element = HTMLElement>(selector: string) =>
    Array.from(panel.node.querySelectorAll(selector)) as T[];
  return { panel, $, $$, actions: panelActions };
}

/**
 * Type into a React-controlled input or select.
 */
function type(element: HTMLInputElement | HTMLSelectElement, value: string) {
  const prototype = Object.getPrototypeOf(element);
  Object.getOwnPropertyDescriptor(prototype, 'value')!.set!.call(
    element,
    value
  );
  element.dispatchEvent(new Event('input', { bubbles: true }));
  element.dispatchEvent(new Event('change', { bubbles: true }));
}

function submit(form: HTMLFormElement): void {
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

function facts(card: HTMLElement): Record<string, string> {
  const result: Record<string, string> = {};
  const names = Array.from(card.querySelectorAll('dt'));
  for (const dt of names) {
    result[dt.textContent!] = dt.nextElementSibling!.textContent!;
  }
  return result;
}

describe('DaskPanel cards', () => {
  beforeEach(() => request.mockReset());

  it('shows a running cluster with its figures and actions', async () => {
    const model = modelWith([
      cluster({ workers: 1, requested_workers: 2, cores: 1 })
    ]);
    const { panel, $ } = await rendered(model);
    const card = $('.cs-ClusterCard');
    expect(card.dataset.status).toBe('running');
    expect($('.cs-ClusterCard-name').textContent).toBe('local-1a2b');
    expect($('.cs-ClusterCard-backend').textContent).toBe('This server');
    expect($('.cs-ClusterCard-status').textContent).toBe('Running');
    expect(facts(card)).toEqual({
      Workers: '1 of 2 workers',
      Cores: '1',
      Memory: '4 GiB',
      Cost: 'included in server',
      'Idle shutdown': 'after 30m without work'
    });
    expect($('[role="progressbar"]')).toBeNull();
    expect($('.cs-ClusterControls-insertCode').textContent).toBe(
      'Insert connect code'
    );
    expect($('.cs-ClusterCard-shutdown')).not.toBeNull();
    const link = $<HTMLAnchorElement>('.cs-ClusterControls-dashboardLink');
    expect(link.getAttribute('href')).toBe(
      new URL(
        '/user/demo/cloudscapes/dask/clusters/local-1a2b/dashboard/status',
        document.baseURI
      ).href
    );
    expect(link.target).toBe('_blank');
    expect(link.rel).toContain('noopener');
    expect($('.cs-Dask-total').textContent).toBe(
      'Cost of running clustersincluded in server'
    );
    panel.dispose();
  });

  it('links only an http(s) dashboard address', async () => {
    const model = modelWith([
      cluster({ dashboard_link: 'javascript:window.__xss=1' })
    ]);
    const { panel, $ } = await rendered(model);
    expect($('.cs-ClusterControls-dashboardLink')).toBeNull();
    expect(panel.node.querySelector('a[href^="javascript"]')).toBeNull();
    // the plots stay available from the Dashboard menu
    expect($('.cs-DashboardMenu-button')).not.toBeNull();
    panel.dispose();
  });

  it('shows a starting cluster with a progress bar from its job', async () => {
    const model = modelWith([
      cluster({ status: 'starting', workers: 0, requested_workers: 2 })
    ]);
    (model as any)._startJobs.set('local-1a2b', 'job1');
    model.jobs.track(job({ id: 'job1' }));
    const { panel, $ } = await rendered(model);
    expect($('.cs-ClusterCard-status').textContent).toBe('Starting');
    const bar = $('[role="progressbar"]');
    expect(bar.getAttribute('aria-label')).toBe(
      'Starting Dask cluster local-1a2b'
    );
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect($('.cs-ClusterCard-startingMessage').textContent).toBe(
      'Waiting for workers (1 of 2)'
    );
    expect(facts($('.cs-ClusterCard')).Workers).toBe('0 of 2 workers');
    expect($('.cs-ClusterControls-insertCode')).toBeNull();
    expect($('.cs-ClusterCard-shutdown')).not.toBeNull();
    model.jobs.dispose();
    panel.dispose();
  });

  it('shows an indeterminate progress bar for a start made elsewhere', async () => {
    const model = modelWith([cluster({ status: 'starting' })]);
    const { panel, $ } = await rendered(model);
    const bar = $('[role="progressbar"]');
    expect(bar.getAttribute('aria-valuenow')).toBeNull();
    panel.dispose();
  });

  it('shows stopping and failed clusters without cluster controls', async () => {
    const model = modelWith([
      cluster({ id: 'a', name: 'a', status: 'stopping' }),
      cluster({
        id: 'b',
        name: 'b',
        status: 'failed',
        workers: 0,
        error: {
          error: {
            code: 'dask_start_failed',
            message: 'The scheduler did not start.',
            hint: 'Try fewer workers.'
          }
        }
      }),
      cluster({ id: 'c', name: 'c', status: 'stopped' })
    ]);
    const { panel, $, $$, actions: panelActions } = await rendered(model);
    const cards = $$('.cs-ClusterCard');
    expect(cards.map(c => c.dataset.status)).toEqual(['stopping', 'failed']);
    expect(cards[0].querySelector('.cs-ClusterCard-status')!.textContent).toBe(
      'Shutting down'
    );
    expect(cards[0].querySelector('button')).toBeNull();
    expect(cards[1].querySelector('.cs-ErrorBanner-message')!.textContent).toBe(
      'The scheduler did not start.'
    );
    expect(cards[1].querySelector('.cs-ClusterControls-scale')).toBeNull();
    $<HTMLButtonElement>('.cs-ClusterCard-remove').click();
    expect(panelActions.remove).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'b' })
    );
    panel.dispose();
  });

  it('shows the cost of priced gateway clusters and the total', async () => {
    const model = modelWith(
      [
        cluster({ backend: 'gateway', cost_per_hour: 0.9 }),
        cluster({ id: 'x', backend: 'gateway', cost_per_hour: null })
      ],
      { cost_per_hour: null }
    );
    const { panel, $, $$ } = await rendered(model);
    expect($$('.cs-ClusterCard-cost').map(c => c.textContent)).toEqual([
      '$0.90 per hour',
      'price not set'
    ]);
    expect($$('.cs-ClusterCard-backend')[0].textContent).toBe('Dask Gateway');
    expect($('.cs-Dask-totalValue').textContent).toBe('price not set');
    panel.dispose();
  });

  it('explains what a cluster is when there is none', async () => {
    const model = modelWith([]);
    const { panel, $ } = await rendered(model);
    expect($('.cs-EmptyState-title').textContent).toBe('No Dask clusters');
    expect($('.cs-EmptyState-body').textContent).toContain(
      'group of worker processes'
    );
    expect($<HTMLButtonElement>('.cs-Dask-shutdownAll').disabled).toBe(true);
    panel.dispose();
  });

  it('shows backends that could not be listed as banners', async () => {
    const model = modelWith([cluster()], {
      errors: [
        {
          backend: 'gateway',
          error: {
            error: {
              code: 'dask_gateway_unreachable',
              message: 'Dask Gateway did not answer.',
              hint: 'Try again in a minute.'
            }
          }
        }
      ]
    });
    const { panel, $ } = await rendered(model);
    expect($('.cs-ErrorBanner-message').textContent).toBe(
      'Dask Gateway: Dask Gateway did not answer.'
    );
    expect($('.cs-ErrorBanner-hint').textContent).toBe(
      'Try again in a minute.'
    );
    expect($('.cs-ClusterCard')).not.toBeNull();
    panel.dispose();
  });

  it('shows why the list failed, with a retry', async () => {
    const model = new DaskModel();
    model.start = () => undefined;
    (model as any)._listError = new CloudscapesRequestError(
      0,
      'network_error',
      'The Jupyter server could not be reached.',
      'Reload the page.'
    );
    const { panel, $ } = await rendered(model);
    expect($('.cs-ErrorBanner-message').textContent).toBe(
      'The Jupyter server could not be reached.'
    );
    request.mockResolvedValueOnce(clusterList([]));
    $<HTMLButtonElement>('.cs-Dask-retry').click();
    await settle();
    expect($('.cs-EmptyState')).not.toBeNull();
    panel.dispose();
  });

  it('scales, adapts and shuts down through the actions', async () => {
    const model = modelWith();
    const { panel, $, actions: panelActions } = await rendered(model);
    type($<HTMLInputElement>('.cs-ClusterControls-scaleWorkers'), '3');
    submit($<HTMLFormElement>('.cs-ClusterControls-scale'));
    expect(panelActions.scale).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'local-1a2b' }),
      3
    );
    type($<HTMLInputElement>('.cs-ClusterControls-adaptMinimum'), '1');
    type($<HTMLInputElement>('.cs-ClusterControls-adaptMaximum'), '4');
    submit($<HTMLFormElement>('.cs-ClusterControls-adapt'));
    expect(panelActions.adapt).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'local-1a2b' }),
      { minimum: 1, maximum: 4 }
    );
    // past the backend's limit: a message, no request
    type($<HTMLInputElement>('.cs-ClusterControls-scaleWorkers'), '9');
    submit($<HTMLFormElement>('.cs-ClusterControls-scale'));
    await settle();
    expect(panelActions.scale).toHaveBeenCalledTimes(1);
    expect($('.cs-ClusterControls [role="alert"]').textContent).toBe(
      'This server allows at most 4 workers per cluster.'
    );
    $<HTMLButtonElement>('.cs-ClusterCard-shutdown').click();
    $<HTMLButtonElement>('.cs-ClusterControls-insertCode').click();
    $<HTMLButtonElement>('.cs-Dask-shutdownAll').click();
    expect(panelActions.shutdown).toHaveBeenCalledTimes(1);
    expect(panelActions.insertCode).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'local-1a2b' })
    );
    expect(panelActions.shutdownAll).toHaveBeenCalledTimes(1);
    panel.dispose();
  });

  it('lists the dashboard plots in order and opens one', async () => {
    request.mockResolvedValueOnce({
      plots: [
        plot('individual-cpu', 'CPU'),
        plot('individual-workers-memory', 'Workers Memory'),
        plot('individual-task-stream', 'Task Stream'),
        plot('individual-progress', 'Progress')
      ]
    });
    const model = modelWith();
    const { panel, $, $$, actions: panelActions } = await rendered(model);
    const button = $<HTMLButtonElement>('.cs-DashboardMenu-button');
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    button.click();
    await settle();
    expect(request).toHaveBeenCalledWith('dask/clusters/local-1a2b/plots');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const items = $$('[role="menuitem"]');
    expect(items.map(i => i.textContent)).toEqual([
      'Task Stream',
      'Progress',
      'Workers Memory',
      'CPU'
    ]);
    expect(document.activeElement).toBe(items[0]);
    // arrows move, Escape closes and gives the focus back
    $('[role="menu"]').dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })
    );
    expect(document.activeElement).toBe(items[1]);
    $('[role="menu"]').dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })
    );
    await settle();
    expect($('[role="menu"]')).toBeNull();
    expect(document.activeElement).toBe(button);
    request.mockResolvedValueOnce({
      plots: [plot('individual-task-stream', 'Task Stream')]
    });
    button.click();
    await settle();
    $<HTMLButtonElement>('[role="menuitem"]').click();
    expect(panelActions.openPlot).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'local-1a2b' }),
      expect.objectContaining({ name: 'individual-task-stream' })
    );
    await settle();
    expect($('[role="menu"]')).toBeNull();
    panel.dispose();
  });
});

describe('DaskPanel New cluster', () => {
  beforeEach(() => request.mockReset());

  async function openForm(model = modelWith([])) {
    const result = await rendered(model);
    result.$<HTMLButtonElement>('.cs-Dask-new').click();
    await settle();
    return result;
  }

  it("renders the backend's options as inputs of their type", async () => {
    const { panel, $, $$ } = await openForm();
    expect($('.cs-Dask-new').getAttribute('aria-expanded')).toBe('true');
    const backend = $<HTMLSelectElement>('.cs-NewClusterForm-backend');
    expect(Array.from(backend.options).map(o => o.textContent)).toEqual([
      'This server',
      'Dask Gateway'
    ]);
    expect(backend.value).toBe('local');
    const threads = $<HTMLInputElement>(
      'input[data-field="threads_per_worker"]'
    );
    expect([threads.type, threads.min, threads.max, threads.step]).toEqual([
      'number',
      '1',
      '4',
      '1'
    ]);
    expect(threads.value).toBe('1');
    const memory = $<HTMLInputElement>('input[data-field="memory_limit"]');
    expect([memory.min, memory.max, memory.step, memory.value]).toEqual([
      '0.5',
      '8',
      '0.5',
      '2'
    ]);
    expect(memory.parentElement!.textContent).toBe('GiB');
    expect(
      document.getElementById(memory.getAttribute('aria-describedby')!)!
        .textContent
    ).toBe('Workers past this limit are restarted.');
    const processes = $<HTMLInputElement>('input[data-field="processes"]');
    expect([processes.type, processes.checked]).toEqual(['checkbox', true]);
    expect($$('.cs-DaskField-label').map(l => l.textContent)).toEqual([
      'Runs on',
      'Threads per worker',
      'Memory per worker',
      'Workers',
      'Number of workers'
    ]);
    // the gateway's form: a text field and a select
    type(backend, 'gateway');
    await settle();
    expect($<HTMLInputElement>('input[data-field="image"]').type).toBe('text');
    const profile = $<HTMLSelectElement>('select[data-field="profile"]');
    expect(Array.from(profile.options).map(o => o.value)).toEqual([
      'small',
      'medium',
      'large'
    ]);
    panel.dispose();
  });

  it('lists unavailable backends with the reason, and starts on the setting', async () => {
    const model = modelWith([]);
    (model as any)._backends = [
      localBackend(),
      gatewayBackend({
        available: false,
        reason: 'No Dask Gateway is configured on this hub.'
      })
    ];
    model.settings = { ...model.settings, defaultBackend: 'gateway' };
    const { panel, $ } = await openForm(model);
    const backend = $<HTMLSelectElement>('.cs-NewClusterForm-backend');
    expect(Array.from(backend.options).map(o => o.value)).toEqual(['local']);
    expect(backend.value).toBe('local');
    expect($('.cs-NewClusterForm-unavailable').textContent).toBe(
      'Dask Gateway: No Dask Gateway is configured on this hub.'
    );
    panel.dispose();
  });

  it('posts the options and workers, then closes', async () => {
    const { panel, $, actions: panelActions } = await openForm();
    type($<HTMLInputElement>('input[data-field="threads_per_worker"]'), '2');
    const processes = $<HTMLInputElement>('input[data-field="processes"]');
    processes.click();
    type($<HTMLInputElement>('.cs-NewClusterForm-workers'), '3');
    submit($<HTMLFormElement>('.cs-NewClusterForm form'));
    await settle();
    expect(panelActions.create).toHaveBeenCalledWith({
      backend: 'local',
      options: { threads_per_worker: 2, memory_limit: 2, processes: false },
      workers: 3
    });
    await settle();
    expect($('.cs-NewClusterForm')).toBeNull();
    panel.dispose();
  });

  it('posts an adaptive range', async () => {
    const { panel, $, $$, actions: panelActions } = await openForm();
    const radios = $$<HTMLInputElement>('input[type="radio"]');
    radios[1].click();
    await settle();
    type($<HTMLInputElement>('.cs-NewClusterForm-minimum'), '0');
    type($<HTMLInputElement>('.cs-NewClusterForm-maximum'), '4');
    submit($<HTMLFormElement>('.cs-NewClusterForm form'));
    expect(panelActions.create).toHaveBeenCalledWith(
      expect.objectContaining({ adapt: { minimum: 0, maximum: 4 } })
    );
    expect(panelActions.create.mock.calls[0][0]).not.toHaveProperty('workers');
    panel.dispose();
  });

  it('marks invalid inputs and sends nothing', async () => {
    const { panel, $, actions: panelActions } = await openForm();
    const memory = $<HTMLInputElement>('input[data-field="memory_limit"]');
    type(memory, '100');
    type($<HTMLInputElement>('.cs-NewClusterForm-workers'), '1.5');
    submit($<HTMLFormElement>('.cs-NewClusterForm form'));
    await settle();
    expect(panelActions.create).not.toHaveBeenCalled();
    expect(memory.getAttribute('aria-invalid')).toBe('true');
    expect(memory.getAttribute('aria-describedby')).toContain('-error');
    expect(
      Array.from(panel.node.querySelectorAll('.cs-DaskField-error')).map(
        e => e.textContent
      )
    ).toEqual(['Enter at most 8.', 'Enter a whole number.']);
    expect($('.cs-NewClusterForm')).not.toBeNull();
    panel.dispose();
  });

  it('stays open when the server refuses, showing its message', async () => {
    const model = modelWith([]);
    const panelActions = actions();
    panelActions.create.mockImplementation(async () => {
      model.setActionError(
        new CloudscapesRequestError(
          409,
          'dask_too_many_clusters',
          'You already run 5 local clusters.',
          'Shut one down first.'
        )
      );
      return false;
    });
    const { panel, $ } = await rendered(model, panelActions);
    $<HTMLButtonElement>('.cs-Dask-new').click();
    await settle();
    submit($<HTMLFormElement>('.cs-NewClusterForm form'));
    await settle();
    expect($('.cs-ErrorBanner-message').textContent).toBe(
      'You already run 5 local clusters.'
    );
    expect($('.cs-NewClusterForm')).not.toBeNull();
    panel.dispose();
  });

  it('banners a start that failed until dismissed', async () => {
    request.mockResolvedValue(clusterList([]));
    const model = modelWith([]);
    (model as any)._names.set('j9', 'big-one');
    model.jobs.track(
      job({
        id: 'j9',
        status: 'failed',
        error: {
          error: {
            code: 'dask_start_failed',
            message: 'Workers ran out of memory.',
            hint: 'Ask for less.'
          }
        }
      })
    );
    const { panel, $ } = await rendered(model);
    expect($('.cs-ErrorBanner-message').textContent).toBe(
      'Dask cluster big-one did not start: Workers ran out of memory.'
    );
    $<HTMLButtonElement>('.cs-ErrorBanner-dismiss').click();
    await settle();
    expect($('.cs-ErrorBanner')).toBeNull();
    panel.dispose();
  });
});
