import { Notification } from '@jupyterlab/apputils';
import type { Widget } from '@lumino/widgets';

import { CloudscapesRequestError, toRequestError } from './request';

/**
 * A feature's own hint for an error the server gave no hint for (for example
 * Earthdata's "Repeated failures lock your account"), or `''`.
 */
export type HintFor = (error: CloudscapesRequestError) => string;

/**
 * What to do about `error`: the server's hint always wins, then the feature's
 * own (`hintFor`), else `''`.
 */
export function errorHint(
  error: CloudscapesRequestError,
  hintFor?: HintFor
): string {
  return error.hint || hintFor?.(error) || '';
}

/**
 * A failed action in one line, as a notification says it: what was tried
 * (`title`, "Keep-alive failed."), what went wrong, what to do.
 */
export function errorText(
  title: string,
  reason: unknown,
  hintFor?: HintFor
): string {
  const error = toRequestError(reason);
  return [title, error.message, errorHint(error, hintFor)]
    .filter(Boolean)
    .join(' ');
}

/**
 * Show a failed action as an error notification that stays until dismissed.
 */
export function notifyError(
  title: string,
  reason: unknown,
  hintFor?: HintFor
): string {
  return Notification.error(errorText(title, reason, hintFor), {
    autoClose: false
  });
}

/**
 * A `report(title, reason)` for actions a panel also offers: the panel shows
 * its own error banner, so a notification is shown only while the panel is
 * hidden (the action came from the palette, a menu or a shortcut). `panel`
 * may be a function that finds it (a plugin that did not create it), for
 * example `() => findShellWidget(app, id)`.
 */
export function reportWhenHidden(
  panel: Widget | (() => Widget | null | undefined),
  hintFor?: HintFor
): (title: string, reason: unknown) => void {
  return (title, reason) => {
    const widget = typeof panel === 'function' ? panel() : panel;
    if (!widget?.isVisible) {
      notifyError(title, reason, hintFor);
    }
  };
}
