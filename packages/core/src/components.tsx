import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { HintFor, errorHint } from './errors';
import { Linkified } from './linkify';
import type { CloudscapesRequestError } from './request';

/**
 * Where the server runs against the archive's AWS region: in it (direct S3
 * reads), outside it (HTTPS), or not known.
 */
export type RegionState = 'in' | 'out' | 'unknown';

/**
 * The `.cs-Badge` tone of a region state, as the Earthdata and data panels show it.
 */
export const REGION_TONE: Record<string, string> = {
  in: 'good',
  out: 'warn',
  unknown: 'muted'
};

/**
 * The region state of an `in_region` flag (`null`: not known).
 */
export function regionState(inRegion: boolean | null | undefined): RegionState {
  return inRegion === true ? 'in' : inRegion === false ? 'out' : 'unknown';
}

/**
 * The region badge of a panel header: short text, a longer title (how the
 * region is known, what it means), coloured by its state. Each feature words
 * its own texts; the look and the accessible status are shared.
 */
export function RegionBadge(props: {
  state: RegionState;
  text: string;
  title: string;
  /**
   * What a screen reader says (default: the text, then the title).
   */
  label?: string;
  className?: string;
}): JSX.Element {
  return (
    <span
      className={`cs-Badge cs-RegionBadge cs-mod-${props.state}${props.className ? ` ${props.className}` : ''}`}
      data-tone={REGION_TONE[props.state]}
      data-state={props.state}
      role="status"
      title={props.title}
      aria-label={props.label ?? `${props.text}. ${props.title}`}
    >
      {props.text}
    </span>
  );
}

/**
 * A server error in plain words: the message, then what to do.
 */
export function ErrorBanner(props: {
  message: string;
  hint?: string;
  /**
   * The server's error code (kept on the element for styling and tests).
   */
  code?: string;
  /**
   * Make the hint stand out (for hints the user must not miss, such as a lockout).
   */
  prominent?: boolean;
  onDismiss?: () => void;
  dismissLabel?: string;
}): JSX.Element {
  const prominent = props.prominent ? ' cs-mod-prominent' : '';
  return (
    <div
      className={`cs-ErrorBanner${prominent}`}
      role="alert"
      data-code={props.code}
    >
      <div className="cs-ErrorBanner-message">{props.message}</div>
      {props.hint ? (
        <div className={`cs-ErrorBanner-hint${prominent}`}>
          {props.prominent ? (
            <span className="cs-ErrorBanner-icon" aria-hidden="true">
              ⚠{' '}
            </span>
          ) : null}
          <Linkified text={props.hint} />
        </div>
      ) : null}
      {props.onDismiss ? (
        <button
          className="jp-Button jp-mod-minimal cs-ErrorBanner-dismiss"
          onClick={props.onDismiss}
          aria-label={props.dismissLabel ?? 'Dismiss'}
          title={props.dismissLabel ?? 'Dismiss'}
        >
          ×
        </button>
      ) : null}
    </div>
  );
}

/**
 * A labelled progress bar; `level` colours it with the theme's warn/error colours.
 */
export function ProgressBar(props: {
  /**
   * Fraction in [0, 1], or `null` for an indeterminate bar.
   */
  value: number | null;
  label: string;
  /**
   * Text read out instead of the percentage (for example "2.1 of 8 GB").
   */
  valueText?: string;
  level?: 'normal' | 'warn' | 'error';
}): JSX.Element {
  const value =
    props.value === null ? null : Math.min(1, Math.max(0, props.value));
  const percent = value === null ? undefined : Math.round(value * 100);
  return (
    <div
      className={`cs-ProgressBar cs-mod-${props.level ?? 'normal'}`}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={props.valueText}
    >
      <div
        className={
          value === null
            ? 'cs-ProgressBar-fill cs-mod-indeterminate'
            : 'cs-ProgressBar-fill'
        }
        style={value === null ? undefined : { width: `${percent}%` }}
      />
    </div>
  );
}

/**
 * What a view shows when it has nothing to list.
 */
export function EmptyState(props: {
  title: string;
  children?: React.ReactNode;
}): JSX.Element {
  return (
    <div className="cs-EmptyState">
      <div className="cs-EmptyState-title">{props.title}</div>
      {props.children ? (
        <div className="cs-EmptyState-body">{props.children}</div>
      ) : null}
    </div>
  );
}

/**
 * What a view shows while its first answer is on its way.
 */
export function Loading(props: { label: string }): JSX.Element {
  return (
    <div className="cs-Loading" role="status" aria-live="polite">
      <span className="cs-Loading-spinner" aria-hidden="true" />
      <span>{props.label}</span>
    </div>
  );
}

/**
 * A WAI-ARIA tab strip: one tab in the Tab order, arrows (and Home/End) move
 * between tabs and select them. The tabs are `${idPrefix}-tab-${value}`, and
 * each controls `${idPrefix}-panel-${value}` (the tab panel's id).
 */
export function TabList<T extends string>(props: {
  label: string;
  idPrefix: string;
  tabs: ReadonlyArray<{ value: T; label: string }>;
  selected: T;
  onSelect: (value: T) => void;
  className?: string;
}): JSX.Element {
  const { tabs, selected, idPrefix } = props;
  const strip = React.useRef<HTMLDivElement>(null);
  const onKeyDown = (event: React.KeyboardEvent) => {
    const index = tabs.findIndex(tab => tab.value === selected);
    const last = tabs.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowDown: (index + 1) % tabs.length,
      ArrowLeft: (index + last) % tabs.length,
      ArrowUp: (index + last) % tabs.length,
      Home: 0,
      End: last
    };
    const next = moves[event.key];
    if (next === undefined) {
      return;
    }
    event.preventDefault();
    const value = tabs[next].value;
    props.onSelect(value);
    const target = strip.current?.querySelector<HTMLElement>(
      `[data-tab="${value}"]`
    );
    target?.focus();
  };
  return (
    <div
      ref={strip}
      className={`cs-Tabs${props.className ? ` ${props.className}` : ''}`}
      role="tablist"
      aria-label={props.label}
    >
      {tabs.map(({ value, label }) => (
        <button
          key={value}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${value}`}
          aria-controls={`${idPrefix}-panel-${value}`}
          aria-selected={selected === value}
          tabIndex={selected === value ? 0 : -1}
          className={`cs-Tabs-tab${selected === value ? ' cs-mod-active' : ''}`}
          data-tab={value}
          onClick={() => props.onSelect(value)}
          onKeyDown={onKeyDown}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

/**
 * A failed request as a panel shows it: the server's message, the hint (the
 * server's, else the feature's own `hintFor`), a dismiss button and a "Try
 * again" button when the panel offers them.
 */
export function ErrorView(props: {
  error: CloudscapesRequestError;
  trans: TranslationBundle;
  hintFor?: HintFor;
  /**
   * Make the hint stand out (for hints the user must not miss, such as a
   * lockout): a flag, or which errors.
   */
  prominent?: boolean | ((error: CloudscapesRequestError) => boolean);
  onDismiss?: () => void;
  onRetry?: () => void;
  className?: string;
}): JSX.Element {
  const { error, trans, prominent } = props;
  return (
    <div
      className={`cs-ErrorView${props.className ? ` ${props.className}` : ''}`}
    >
      <ErrorBanner
        message={error.message}
        hint={errorHint(error, props.hintFor)}
        code={error.code}
        prominent={
          typeof prominent === 'function' ? prominent(error) : prominent
        }
        onDismiss={props.onDismiss}
        dismissLabel={trans.__('Dismiss')}
      />
      {props.onRetry ? (
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject cs-ErrorView-retry"
          onClick={props.onRetry}
        >
          {trans.__('Try again')}
        </button>
      ) : null}
    </div>
  );
}
