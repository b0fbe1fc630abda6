/**
 * The "New cluster" form: its state, built generically from the backend's
 * option list, its validation and the `POST /cloudscapes/dask/clusters` body.
 * Pure functions, so they are unit-tested without a browser.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { Backend, CreateRequest, Option } from './model';

/**
 * What an input holds: text (numbers as typed) or a checkbox's state.
 */
export type FieldValue = string | boolean;

export type WorkersMode = 'fixed' | 'adaptive';

/**
 * The form as the user filled it in.
 */
export interface IClusterForm {
  backend: string;
  /**
   * Option field → input value.
   */
  values: Record<string, FieldValue>;
  mode: WorkersMode;
  workers: string;
  minimum: string;
  maximum: string;
}

/**
 * Messages of invalid inputs: `options.<field>`, `workers`, `minimum`,
 * `maximum` or `backend`.
 */
export type FormErrors = Record<string, string>;

/**
 * The key of an option's error in `FormErrors`.
 */
export function optionKey(option: Pick<Option, 'field'>): string {
  return `options.${option.field}`;
}

/**
 * The backend the form starts with: `preferred` when available, else the
 * first available one (the server lists its default first).
 */
export function chooseBackend(
  backends: ReadonlyArray<Backend>,
  preferred = ''
): Backend | null {
  const available = backends.filter(b => b.available);
  return available.find(b => b.name === preferred) ?? available[0] ?? null;
}

/**
 * The input value showing an option's default.
 */
export function defaultValue(option: Option): FieldValue {
  const value = option.default;
  if (option.type === 'boolean') {
    return value === true;
  }
  if (option.type === 'select') {
    const choices = option.choices ?? [];
    const text = value === null || value === undefined ? '' : String(value);
    return choices.includes(text) ? text : (choices[0] ?? '');
  }
  return value === null || value === undefined ? '' : String(value);
}

/**
 * A fresh form for `backend`: every option at its default, one worker (or
 * none when the backend allows none).
 */
export function initialForm(backend: Backend | null): IClusterForm {
  const values: Record<string, FieldValue> = {};
  for (const option of backend?.options ?? []) {
    values[option.field] = defaultValue(option);
  }
  const max = backend?.max_workers ?? null;
  const bound = (n: number) => (max === null ? n : Math.min(n, max));
  return {
    backend: backend?.name ?? '',
    values,
    mode: 'fixed',
    workers: String(bound(1)),
    minimum: String(bound(1)),
    maximum: String(Math.max(bound(1), bound(4)))
  };
}

/**
 * `value` as a whole number, or `null` when it is not one.
 */
function wholeNumber(value: string): number | null {
  const text = value.trim();
  if (!/^[+-]?\d+$/.test(text)) {
    return null;
  }
  return Number(text);
}

function finiteNumber(value: string): number | null {
  const text = value.trim();
  if (text === '') {
    return null;
  }
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/**
 * The value of one option, or why the input is not valid. `undefined` value:
 * the field is left empty and the server's default applies.
 */
export function parseOption(
  option: Option,
  raw: FieldValue | undefined,
  trans: TranslationBundle
): { value?: unknown; error?: string } {
  const input = raw ?? defaultValue(option);
  switch (option.type) {
    case 'boolean':
      return { value: input === true || input === 'true' };
    case 'select': {
      const text = String(input);
      if (!(option.choices ?? []).includes(text)) {
        return { error: trans.__('Choose one of the listed values.') };
      }
      return { value: text };
    }
    case 'string':
      return { value: String(input) };
    case 'integer':
    case 'number': {
      const text = String(input);
      if (text.trim() === '' && option.default === null) {
        return { value: undefined };
      }
      const number =
        option.type === 'integer' ? wholeNumber(text) : finiteNumber(text);
      if (number === null) {
        return {
          error:
            option.type === 'integer'
              ? trans.__('Enter a whole number.')
              : trans.__('Enter a number.')
        };
      }
      const { minimum, maximum, step } = option;
      if (minimum !== null && minimum !== undefined && number < minimum) {
        return { error: trans.__('Enter at least %1.', minimum) };
      }
      if (maximum !== null && maximum !== undefined && number > maximum) {
        return { error: trans.__('Enter at most %1.', maximum) };
      }
      // the server's own default is fine even off the step
      if (
        step !== null &&
        step !== undefined &&
        step > 0 &&
        number !== option.default
      ) {
        const steps = (number - (minimum ?? 0)) / step;
        if (Math.abs(steps - Math.round(steps)) > 1e-9) {
          return { error: trans.__('Enter a multiple of %1.', step) };
        }
      }
      return { value: number };
    }
  }
  return { value: input };
}

/**
 * A count of workers between `minimum` and the backend's `max_workers`, or an
 * error message.
 */
function parseWorkers(
  value: string,
  minimum: number,
  max: number | null,
  trans: TranslationBundle
): { value?: number; error?: string } {
  const number = wholeNumber(value);
  if (number === null) {
    return { error: trans.__('Enter a whole number.') };
  }
  if (number < minimum) {
    return { error: trans.__('Enter at least %1.', minimum) };
  }
  if (max !== null && number > max) {
    return {
      error: trans._n(
        'This server allows at most %1 worker per cluster.',
        'This server allows at most %1 workers per cluster.',
        max
      )
    };
  }
  return { value: number };
}

/**
 * Check the form and build the `POST /cloudscapes/dask/clusters` body: either
 * `{request}` or `{errors}` with one message per invalid input.
 */
export function buildCreateRequest(
  form: IClusterForm,
  backend: Backend | null,
  trans: TranslationBundle
): { request: CreateRequest; errors?: undefined } | { errors: FormErrors } {
  const errors: FormErrors = {};
  if (!backend || backend.name !== form.backend) {
    return { errors: { backend: trans.__('Choose where the cluster runs.') } };
  }
  if (!backend.available) {
    return {
      errors: {
        backend: backend.reason || trans.__('This backend is not available.')
      }
    };
  }
  const options: Record<string, unknown> = {};
  for (const option of backend.options) {
    const parsed = parseOption(option, form.values[option.field], trans);
    if (parsed.error) {
      errors[optionKey(option)] = parsed.error;
    } else if (parsed.value !== undefined) {
      options[option.field] = parsed.value;
    }
  }
  const max = backend.max_workers;
  const request: CreateRequest = {
    backend: backend.name,
    options: options as CreateRequest['options']
  };
  if (form.mode === 'fixed') {
    const workers = parseWorkers(form.workers, 0, max, trans);
    if (workers.error) {
      errors.workers = workers.error;
    } else {
      request.workers = workers.value;
    }
  } else {
    const minimum = parseWorkers(form.minimum, 0, max, trans);
    if (minimum.error) {
      errors.minimum = minimum.error;
    }
    const maximum = parseWorkers(
      form.maximum,
      Math.max(1, minimum.value ?? 0),
      max,
      trans
    );
    if (maximum.error) {
      errors.maximum = maximum.error;
    }
    if (minimum.value !== undefined && maximum.value !== undefined) {
      request.adapt = { minimum: minimum.value, maximum: maximum.value };
    }
  }
  if (Object.keys(errors).length > 0) {
    return { errors };
  }
  return { request };
}

/**
 * Check a scale ("Scale" on a card): a whole number of workers within the
 * backend's limit.
 */
export function parseScale(
  value: string,
  max: number | null,
  trans: TranslationBundle
): { value?: number; error?: string } {
  return parseWorkers(value, 0, max, trans);
}

/**
 * Check an adaptive range ("Adapt" on a card).
 */
export function parseAdapt(
  minimum: string,
  maximum: string,
  max: number | null,
  trans: TranslationBundle
): {
  value?: { minimum: number; maximum: number };
  error?: string;
} {
  const low = parseWorkers(minimum, 0, max, trans);
  if (low.error) {
    return { error: trans.__('Minimum: %1', low.error) };
  }
  const high = parseWorkers(maximum, Math.max(1, low.value!), max, trans);
  if (high.error) {
    return { error: trans.__('Maximum: %1', high.error) };
  }
  return { value: { minimum: low.value!, maximum: high.value! } };
}
