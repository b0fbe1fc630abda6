import * as React from 'react';

import { FORM_ID } from '../tokens';

export function NumberField(props: {
  name: string;
  label: string;
  value: string;
  min: number;
  max: number | null;
  error: string | undefined;
  onChange: (value: string) => void;
}): JSX.Element {
  const id = `${FORM_ID}-${props.name}`;
  return (
    <div className="cs-DaskField" data-field={props.name}>
      <label htmlFor={id} className="cs-DaskField-label">
        {props.label}
      </label>
      <input
        id={id}
        type="number"
        className={`jp-mod-styled cs-DaskField-input cs-NewClusterForm-${props.name}`}
        min={props.min}
        max={props.max ?? undefined}
        step={1}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={event => props.onChange(event.target.value)}
      />
      {props.error ? (
        <div id={`${id}-error`} className="cs-DaskField-error">
          {props.error}
        </div>
      ) : null}
    </div>
  );
}
