import { Notification } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { errorHint, errorText, notifyError, reportWhenHidden } from '../errors';
import { CloudscapesRequestError } from '../request';

const locked = new CloudscapesRequestError(
  401,
  'edl_invalid_credentials',
  'Wrong username or password.'
);
const ownHint = (error: CloudscapesRequestError) =>
  error.code === 'edl_invalid_credentials' ? 'Repeated failures lock it.' : '';

describe('error texts', () => {
  it("puts the server's hint first, then the feature's own", () => {
    const withHint = new CloudscapesRequestError(429, 'busy', 'Busy.', 'Wait.');
    expect(errorHint(withHint, ownHint)).toBe('Wait.');
    expect(errorHint(locked, ownHint)).toBe('Repeated failures lock it.');
    expect(errorHint(locked)).toBe('');
  });

  it('says what was tried, what went wrong and what to do, in one line', () => {
    expect(errorText('Sign-in failed.', locked, ownHint)).toBe(
      'Sign-in failed. Wrong username or password. Repeated failures lock it.'
    );
    expect(errorText('Sign-in failed.', locked)).toBe(
      'Sign-in failed. Wrong username or password.'
    );
    // anything thrown is worded
    expect(errorText('Oops.', new Error('boom'))).toBe('Oops. boom');
  });
});

describe('notifications of failed actions', () => {
  afterEach(() => jest.restoreAllMocks());

  it('stay until dismissed', () => {
    const error = jest.spyOn(Notification, 'error').mockReturnValue('id');
    notifyError('Keep-alive failed.', locked);
    expect(error).toHaveBeenCalledWith(
      'Keep-alive failed. Wrong username or password.',
      { autoClose: false }
    );
  });

  it('are shown only while the panel that would show the error is hidden', () => {
    const error = jest.spyOn(Notification, 'error').mockReturnValue('id');
    const panel = new Widget();
    const report = reportWhenHidden(panel, ownHint);
    Widget.attach(panel, document.body);
    report('Sign-in failed.', locked);
    expect(error).not.toHaveBeenCalled();
    panel.hide();
    report('Sign-in failed.', locked);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0][0]).toContain('Repeated failures lock it.');
    panel.dispose();
  });
});

describe('reportWhenHidden with a panel found later', () => {
  afterEach(() => jest.restoreAllMocks());

  it('notifies while there is no such panel, or it is hidden', () => {
    const error = jest.spyOn(Notification, 'error').mockReturnValue('id');
    const shell: { panel?: Widget } = {};
    const report = reportWhenHidden(() => shell.panel);
    report('Sign-out failed.', locked);
    expect(error).toHaveBeenCalledTimes(1);
    shell.panel = new Widget();
    Widget.attach(shell.panel, document.body);
    report('Sign-out failed.', locked);
    expect(error).toHaveBeenCalledTimes(1);
    shell.panel.dispose();
  });
});
