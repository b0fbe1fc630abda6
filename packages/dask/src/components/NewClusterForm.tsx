import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { EmptyState, ErrorBanner, Loading } from '@cloudscapes/core';

import { idleText } from '../format';
import { CREATING, CreateRequest, DaskModel } from '../model';
import {
  FieldValue,
  FormErrors,
  IClusterForm,
  WorkersMode,
  buildCreateRequest,
  chooseBackend,
  initialForm,
  optionKey
} from '../options';
import { FORM_ID } from '../tokens';
import { NumberField } from './NumberField';
import { OptionField } from './OptionField';

/**
 * The "New cluster" form: the backend, its options (from the server's option
 * list), and a fixed number of workers or an adaptive range.
 */
export function NewClusterForm(props: {
  model: DaskModel;
  trans: TranslationBundle;
  onCreate: (request: CreateRequest) => Promise<void>;
  onCancel: () => void;
}): JSX.Element {
  const { model, trans } = props;
  const backends = model.backends;
  const [form, setForm] = React.useState<IClusterForm | null>(() =>
    backends
      ? initialForm(chooseBackend(backends, model.settings.defaultBackend))
      : null
  );
  const [errors, setErrors] = React.useState<FormErrors>({});

  // the backends may arrive after the form opened
  React.useEffect(() => {
    if (backends && form === null) {
      setForm(
        initialForm(chooseBackend(backends, model.settings.defaultBackend))
      );
    }
  }, [backends]);

  const body = (): JSX.Element => {
    if (model.backendsError && !backends) {
      return (
        <>
          <ErrorBanner
            message={model.backendsError.message}
            hint={model.backendsError.hint}
            code={model.backendsError.code}
          />
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject cs-NewClusterForm-retryBackends"
            onClick={() => void model.loadBackends()}
          >
            {trans.__('Try again')}
          </button>
        </>
      );
    }
    if (!backends || !form) {
      return <Loading label={trans.__('Loading backends…')} />;
    }
    const available = backends.filter(b => b.available);
    const unavailable = backends.filter(b => !b.available);
    const backend = model.backend(form.backend);
    const reasons = unavailable.length ? (
      <ul
        className="cs-NewClusterForm-unavailable"
        aria-label={trans.__('Unavailable')}
      >
        {unavailable.map(b => (
          <li key={b.name} data-backend={b.name}>
            <strong>{b.title}</strong>
            {': '}
            {b.reason || trans.__('not available on this server.')}
          </li>
        ))}
      </ul>
    ) : null;
    if (!backend || available.length === 0) {
      return (
        <>
          <EmptyState title={trans.__('No Dask backend is available')} />
          {reasons}
        </>
      );
    }
    const setValue = (field: string, value: FieldValue) =>
      setForm({ ...form, values: { ...form.values, [field]: value } });
    const setWorkersField = (
      name: 'workers' | 'minimum' | 'maximum',
      value: string
    ) => setForm({ ...form, [name]: value });
    const max = backend.max_workers;
    const submit = (event: React.FormEvent) => {
      event.preventDefault();
      const built = buildCreateRequest(form, backend, trans);
      if (built.errors) {
        setErrors(built.errors);
        requestAnimationFrame(() => {
          document
            .querySelector<HTMLElement>(`#${FORM_ID} [aria-invalid="true"]`)
            ?.focus();
        });
        return;
      }
      setErrors({});
      void props.onCreate(built.request);
    };
    return (
      <form onSubmit={submit} noValidate>
        <div className="cs-DaskField" data-field="backend">
          <label htmlFor={`${FORM_ID}-backend`} className="cs-DaskField-label">
            {trans.__('Runs on')}
          </label>
          <select
            id={`${FORM_ID}-backend`}
            className="jp-mod-styled cs-DaskField-input cs-NewClusterForm-backend"
            value={form.backend}
            aria-describedby={`${FORM_ID}-backend-hint`}
            onChange={event => {
              setErrors({});
              setForm(initialForm(model.backend(event.target.value)));
            }}
          >
            {available.map(b => (
              <option key={b.name} value={b.name}>
                {b.title}
              </option>
            ))}
          </select>
          <div id={`${FORM_ID}-backend-hint`} className="cs-DaskField-help">
            {backend.connect_hint}
          </div>
          {errors.backend ? (
            <div className="cs-DaskField-error">{errors.backend}</div>
          ) : null}
          {reasons}
        </div>
        {backend.options.map(option => (
          <OptionField
            key={`${backend.name}:${option.field}`}
            option={option}
            value={form.values[option.field]}
            error={errors[optionKey(option)]}
            onChange={value => setValue(option.field, value)}
          />
        ))}
        <fieldset className="cs-NewClusterForm-workersMode">
          <legend className="cs-DaskField-label">{trans.__('Workers')}</legend>
          {(['fixed', 'adaptive'] as WorkersMode[]).map(mode => (
            <label key={mode} className="cs-DaskField-check">
              <input
                type="radio"
                name={`${FORM_ID}-mode`}
                value={mode}
                checked={form.mode === mode}
                onChange={() => setForm({ ...form, mode })}
              />
              <span>
                {mode === 'fixed'
                  ? trans.__('Fixed number')
                  : trans.__('Adaptive (scales with the work)')}
              </span>
            </label>
          ))}
          {form.mode === 'fixed' ? (
            <NumberField
              name="workers"
              label={trans.__('Number of workers')}
              value={form.workers}
              min={0}
              max={max}
              error={errors.workers}
              onChange={value => setWorkersField('workers', value)}
            />
          ) : (
            <div className="cs-NewClusterForm-adaptFields">
              <NumberField
                name="minimum"
                label={trans.__('Fewest workers')}
                value={form.minimum}
                min={0}
                max={max}
                error={errors.minimum}
                onChange={value => setWorkersField('minimum', value)}
              />
              <NumberField
                name="maximum"
                label={trans.__('Most workers')}
                value={form.maximum}
                min={1}
                max={max}
                error={errors.maximum}
                onChange={value => setWorkersField('maximum', value)}
              />
            </div>
          )}
          {max !== null ? (
            <div className="cs-DaskField-help">
              {trans._n(
                'At most %1 worker per cluster on this server.',
                'At most %1 workers per cluster on this server.',
                max
              )}
            </div>
          ) : null}
          {backend.idle_timeout_seconds ? (
            <div className="cs-DaskField-help">
              {trans.__(
                'Shuts itself down %1.',
                idleText(backend.idle_timeout_seconds, trans)
              )}
            </div>
          ) : null}
        </fieldset>
        <div className="cs-NewClusterForm-actions">
          <button
            type="submit"
            className="jp-Button jp-mod-styled jp-mod-accept cs-NewClusterForm-create"
            disabled={model.isBusy(CREATING)}
          >
            {trans.__('Create')}
          </button>
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject cs-NewClusterForm-cancel"
            onClick={props.onCancel}
          >
            {trans.__('Cancel')}
          </button>
        </div>
      </form>
    );
  };

  return (
    <section
      id={FORM_ID}
      className="cs-NewClusterForm"
      aria-label={trans.__('New Dask cluster')}
    >
      <h3 className="cs-NewClusterForm-title">{trans.__('New cluster')}</h3>
      {body()}
    </section>
  );
}
