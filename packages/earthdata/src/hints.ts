import type { TranslationBundle } from '@jupyterlab/translation';

import type { CloudscapesRequestError, HintFor } from '@cloudscapes/core';

/**
 * Error codes whose hint the user must not miss (repeated failures lock the account).
 */
const PROMINENT_HINTS = new Set(['edl_invalid_credentials']);

/**
 * Whether `error`'s hint must stand out.
 */
export function isProminent(error: CloudscapesRequestError): boolean {
  return PROMINENT_HINTS.has(error.code);
}

/**
 * Earthdata's own hint for an error the server gave no hint for, or `''`.
 */
export function earthdataHint(
  error: CloudscapesRequestError,
  trans: TranslationBundle
): string {
  switch (error.code) {
    case 'edl_invalid_credentials':
      return trans.__(
        'Check your username and password. Repeated failures lock your Earthdata Login account for 10 minutes.'
      );
    case 'edl_invalid_token':
    case 'edl_token_expired':
      return trans.__(
        'Generate a new token at Earthdata Login (Generate Token) and paste it again, or sign in with your password.'
      );
    case 'edl_token_limit':
      return trans.__(
        'Earthdata Login allows two tokens per account. Revoke one you no longer use at Earthdata Login, then try again.'
      );
    case 'edl_unreachable':
    case 'edl_timeout':
      return trans.__('Earthdata Login may be down; try again in a minute.');
    case 'earthdata_not_signed_in':
      return trans.__('Sign in to Earthdata Login first.');
    default:
      return '';
  }
}

/**
 * `earthdataHint` in the translation `trans`, as core's error helpers take it.
 */
export function hintsIn(trans: TranslationBundle): HintFor {
  return error => earthdataHint(error, trans);
}
