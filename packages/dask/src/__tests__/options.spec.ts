import { nullTranslator } from '@jupyterlab/translation';

import {
  IClusterForm,
  buildCreateRequest,
  chooseBackend,
  defaultValue,
  initialForm,
  parseAdapt,
  parseOption,
  parseScale
} from '../options';
import { gatewayBackend, localBackend } from './fixture';

const trans = nullTranslator.load('cloudscapes');

describe('the New cluster form', () => {
  it('starts on the preferred backend when available, else the first available', () => {
    const local = localBackend();
    const gateway = gatewayBackend();
    expect(chooseBackend([local, gateway])?.name).toBe('local');
    expect(chooseBackend([local, gateway], 'gateway')?.name).toBe('gateway');
    const off = gatewayBackend({ available: false, reason: 'No gateway.' });
    expect(chooseBackend([off, local], 'gateway')?.name).toBe('local');
    expect(chooseBackend([off])).toBeNull();
  });

  it('fills every option with its default and starts with one worker', () => {
    const form = initialForm(localBackend());
    expect(form).toEqual({
      backend: 'local',
      values: {
        threads_per_worker: '1',
        memory_limit: '2',
        processes: true
      },
      mode: 'fixed',
      workers: '1',
      minimum: '1',
      maximum: '4'
    });
    expect(initialForm(localBackend({ max_workers: 0 })).workers).toBe('0');
    expect(initialForm(gatewayBackend()).values).toEqual({
      image: 'pangeo/pangeo-notebook:latest',
      profile: 'small'
    });
  });

  it('shows a select on one of its choices even when the default is not one', () => {
    const option = gatewayBackend().options[1];
    expect(defaultValue({ ...option, default: 'huge' })).toBe('small');
  });

  it('checks numbers against their type, bounds and step', () => {
    const [threads, memory] = localBackend().options;
    expect(parseOption(threads, '2', trans)).toEqual({ value: 2 });
    expect(parseOption(threads, '1.5', trans).error).toBe(
      'Enter a whole number.'
    );
    expect(parseOption(threads, '', trans).error).toBe('Enter a whole number.');
    expect(parseOption(threads, '0', trans).error).toBe('Enter at least 1.');
    expect(parseOption(threads, '9', trans).error).toBe('Enter at most 4.');
    expect(parseOption(memory, '1.5', trans)).toEqual({ value: 1.5 });
    expect(parseOption(memory, 'lots', trans).error).toBe('Enter a number.');
    expect(parseOption(memory, '1.25', trans).error).toBe(
      'Enter a multiple of 0.5.'
    );
    expect(parseOption({ ...memory, default: 1.7 }, '1.7', trans)).toEqual({
      value: 1.7
    });
    // an empty number whose default is null leaves the server's default
    expect(parseOption({ ...memory, default: null }, ' ', trans)).toEqual({
      value: undefined
    });
  });

  it('checks selects, and passes checkboxes and text as they are', () => {
    const [image, profile] = gatewayBackend().options;
    expect(parseOption(profile, 'large', trans)).toEqual({ value: 'large' });
    expect(parseOption(profile, 'huge', trans).error).toBe(
      'Choose one of the listed values.'
    );
    expect(parseOption(image, 'my/image:1', trans)).toEqual({
      value: 'my/image:1'
    });
    const processes = localBackend().options[2];
    expect(parseOption(processes, false, trans)).toEqual({ value: false });
  });

  it('builds the POST body with the options and a fixed number of workers', () => {
    const backend = localBackend();
    const form: IClusterForm = {
      ...initialForm(backend),
      values: { threads_per_worker: '2', memory_limit: '4', processes: false },
      workers: '3'
    };
    expect(buildCreateRequest(form, backend, trans)).toEqual({
      request: {
        backend: 'local',
        options: { threads_per_worker: 2, memory_limit: 4, processes: false },
        workers: 3
      }
    });
  });

  it('builds the POST body of an adaptive cluster', () => {
    const backend = gatewayBackend();
    const form: IClusterForm = {
      ...initialForm(backend),
      mode: 'adaptive',
      minimum: '0',
      maximum: '20'
    };
    expect(buildCreateRequest(form, backend, trans)).toEqual({
      request: {
        backend: 'gateway',
        options: { image: 'pangeo/pangeo-notebook:latest', profile: 'small' },
        adapt: { minimum: 0, maximum: 20 }
      }
    });
  });

  it('reports every invalid input, and bounds workers by max_workers', () => {
    const backend = localBackend();
    const form: IClusterForm = {
      ...initialForm(backend),
      values: { threads_per_worker: '0', memory_limit: '2', processes: true },
      workers: '5'
    };
    expect(buildCreateRequest(form, backend, trans)).toEqual({
      errors: {
        'options.threads_per_worker': 'Enter at least 1.',
        workers: 'This server allows at most 4 workers per cluster.'
      }
    });
    const adaptive: IClusterForm = {
      ...initialForm(backend),
      mode: 'adaptive',
      minimum: '3',
      maximum: '2'
    };
    expect(buildCreateRequest(adaptive, backend, trans)).toEqual({
      errors: { maximum: 'Enter at least 3.' }
    });
    expect(
      buildCreateRequest({ ...adaptive, minimum: '-1' }, backend, trans)
    ).toEqual({ errors: { minimum: 'Enter at least 0.' } });
  });

  it('refuses a backend that is not available', () => {
    const off = gatewayBackend({
      available: false,
      reason: 'No Dask Gateway is configured.'
    });
    expect(buildCreateRequest(initialForm(off), off, trans)).toEqual({
      errors: { backend: 'No Dask Gateway is configured.' }
    });
    expect(buildCreateRequest(initialForm(null), null, trans)).toEqual({
      errors: { backend: 'Choose where the cluster runs.' }
    });
  });

  it('checks Scale and Adapt on a card', () => {
    expect(parseScale('2', 4, trans)).toEqual({ value: 2 });
    expect(parseScale('0', null, trans)).toEqual({ value: 0 });
    expect(parseScale('x', 4, trans).error).toBe('Enter a whole number.');
    expect(parseScale('8', 4, trans).error).toBe(
      'This server allows at most 4 workers per cluster.'
    );
    expect(parseAdapt('1', '4', 4, trans)).toEqual({
      value: { minimum: 1, maximum: 4 }
    });
    expect(parseAdapt('0', '0', null, trans).error).toBe(
      'Maximum: Enter at least 1.'
    );
    expect(parseAdapt('', '3', null, trans).error).toBe(
      'Minimum: Enter a whole number.'
    );
  });
});
