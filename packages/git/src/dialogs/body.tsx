/**
 * The dialogs' shared piece: a React body whose answer the dialog reads with
 * `getValue()` when a button closes it, and which tells the dialog whether its
 * fields are valid. JupyterLab's `Dialog` disables its accept button while any
 * element inside it has `.jp-mod-error` (it checks on every `input` event), so
 * an invalid form renders a hidden marker with that class and announces each
 * change of validity with an `input` event.
 */
import { ReactWidget } from '@jupyterlab/apputils';
import * as React from 'react';

/**
 * A dialog body rendering `render()` and answering `value()`.
 */
export class DialogBody<T> extends ReactWidget {
  constructor(
    private readonly _render: () => JSX.Element,
    private readonly _value: () => T | null,
    className: string
  ) {
    super();
    this.addClass('cs-GitDialog');
    this.addClass(className);
  }

  getValue(): T | null {
    return this._value();
  }

  protected render(): JSX.Element {
    return this._render();
  }
}

/**
 * Keeps the dialog's accept button disabled while `valid` is false.
 */
export function ValidityMarker(props: { valid: boolean }): JSX.Element {
  const ref = React.useRef<HTMLSpanElement>(null);
  React.useEffect(() => {
    ref.current?.dispatchEvent(new Event('input', { bubbles: true }));
  }, [props.valid]);
  return (
    <span
      ref={ref}
      className={props.valid ? 'cs-GitDialog-valid' : 'jp-mod-error'}
      data-valid={props.valid}
      hidden
    />
  );
}

let counter = 0;

/**
 * A unique id prefix for labelled fields of one dialog.
 */
export function useFieldIds(): string {
  const ref = React.useRef<string>('');
  if (!ref.current) {
    ref.current = `cs-git-field-${++counter}`;
  }
  return ref.current;
}
