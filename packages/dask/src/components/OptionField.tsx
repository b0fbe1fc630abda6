import * as React from 'react';

import { Option } from '../model';
import { FieldValue } from '../options';
import { FORM_ID } from '../tokens';

export function OptionField(props: {
  option: Option;
  value: FieldValue | undefined;
  error: string | undefined;
  onChange: (value: FieldValue) => void;
}): JSX.Element {
  const { option, value, error } = props;
  const id = `${FORM_ID}-option-${option.field}`;
  const described =
    [option.description ? `${id}-description` : '', error ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  const common = {
    id,
    'aria-describedby': described,
    'aria-invalid': error ? true : undefined,
    'data-field': option.field
  };
  let input: JSX.Element;
  switch (option.type) {
    case 'boolean':
      input = (
        <input
          {...common}
          type="checkbox"
          className="cs-OptionField-input"
          checked={value === true}
          onChange={event => props.onChange(event.target.checked)}
        />
      );
      break;
    case 'select':
      input = (
        <select
          {...common}
          className="jp-mod-styled cs-DaskField-input cs-OptionField-input"
          value={String(value ?? '')}
          onChange={event => props.onChange(event.target.value)}
        >
          {(option.choices ?? []).map(choice => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      );
      break;
    case 'integer':
    case 'number':
      input = (
        <input
          {...common}
          type="number"
          className="jp-mod-styled cs-DaskField-input cs-OptionField-input"
          min={option.minimum ?? undefined}
          max={option.maximum ?? undefined}
          step={option.step ?? (option.type === 'integer' ? 1 : 'any')}
          value={String(value ?? '')}
          onChange={event => props.onChange(event.target.value)}
        />
      );
      break;
    default:
      input = (
        <input
          {...common}
          type="text"
          className="jp-mod-styled cs-DaskField-input cs-OptionField-input"
          value={String(value ?? '')}
          onChange={event => props.onChange(event.target.value)}
        />
      );
  }
  const checkbox = option.type === 'boolean';
  return (
    <div
      className={`cs-DaskField${checkbox ? ' cs-mod-checkbox' : ''}`}
      data-field={option.field}
    >
      {checkbox ? (
        <label htmlFor={id} className="cs-DaskField-check">
          {input}
          <span>{option.label}</span>
        </label>
      ) : (
        <>
          <label htmlFor={id} className="cs-DaskField-label">
            {option.label}
          </label>
          <div className="cs-DaskField-inputRow">
            {input}
            {option.unit ? (
              <span className="cs-DaskField-unit">{option.unit}</span>
            ) : null}
          </div>
        </>
      )}
      {option.description ? (
        <div id={`${id}-description`} className="cs-DaskField-help">
          {option.description}
        </div>
      ) : null}
      {error ? (
        <div id={`${id}-error`} className="cs-DaskField-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}
