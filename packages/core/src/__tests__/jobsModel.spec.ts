import { nullTranslator } from '@jupyterlab/translation';

import { JobTracker } from '../jobs';
import { JobsModel } from '../jobsModel';
import { CloudscapesRequestError } from '../request';
import { makeJob } from './fixtures';

const trans = nullTranslator.load('cloudscapes');

class Model extends JobsModel<{ interval: number }> {
  applied: number[] = [];
  run<T>(key: string, action: () => Promise<T>): Promise<T> {
    return this._act(key, action);
  }
  protected onSettingsChanged(value: { interval: number }): void {
    this.applied.push(value.interval);
  }
}

describe('JobsModel', () => {
  it('applies new settings, then re-renders', () => {
    const model = new Model({ interval: 5 }, new JobTracker(), trans);
    const rendered = jest.fn();
    model.stateChanged.connect(rendered);
    model.settings = { interval: 10 };
    expect(model.settings).toEqual({ interval: 10 });
    expect(model.applied).toEqual([10]);
    expect(rendered).toHaveBeenCalledTimes(1);
    model.dispose();
  });

  it('re-renders when a tracked job changes, until disposed', () => {
    const jobs = new JobTracker();
    const model = new Model({ interval: 5 }, jobs, trans);
    const rendered = jest.fn();
    model.stateChanged.connect(rendered);
    jobs.track(makeJob({ status: 'succeeded' }));
    expect(rendered).toHaveBeenCalled();
    model.dispose();
    rendered.mockClear();
    jobs.track(makeJob({ id: 'j2', status: 'succeeded' }));
    expect(rendered).not.toHaveBeenCalled();
    jobs.dispose();
  });

  it('is busy while an action runs and keeps why it failed', async () => {
    const model = new Model({ interval: 5 }, new JobTracker(), trans);
    let finish: () => void = () => undefined;
    const running = model.run(
      'c1',
      () => new Promise<void>(resolve => (finish = resolve))
    );
    expect(model.isBusy('c1')).toBe(true);
    expect(model.isBusy('c2')).toBe(false);
    expect(model.busy).toBe(true);
    finish();
    await running;
    expect(model.busy).toBe(false);

    const failure = new CloudscapesRequestError(
      409,
      'conflict',
      'No.',
      'Hint.'
    );
    await expect(model.run('c1', () => Promise.reject(failure))).rejects.toBe(
      failure
    );
    expect(model.actionError?.message).toBe('No.');
    expect(model.busy).toBe(false);
    model.setActionError(null);
    expect(model.actionError).toBeNull();
    model.dispose();
  });
});
