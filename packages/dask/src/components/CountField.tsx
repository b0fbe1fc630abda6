import * as React from 'react';

/**
 * A labelled whole-number input of the scale and adaptive controls.
 */
export function CountField(props: {
  label: string;
  ariaLabel?: string;
  className: string;
  min: number;
  max: number | null;
  value: string;
  describedBy?: string;
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label className="cs-CountField">
      <span>{props.label}</span>
      <input
        type="number"
        className={`jp-mod-styled cs-DaskField-input ${props.className}`}
        min={props.min}
        max={props.max ?? undefined}
        step={1}
        value={props.value}
        aria-label={props.ariaLabel}
        aria-describedby={props.describedBy}
        onChange={event => props.onChange(event.target.value)}
      />
    </label>
  );
}
