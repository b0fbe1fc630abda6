import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorView, RegionBadge, regionState } from '../components';
import { CloudscapesRequestError } from '../request';
import { attached } from './render';

const trans = nullTranslator.load('cloudscapes');

async function show(element: JSX.Element) {
  return attached(ReactWidget.create(element));
}

describe('ErrorView', () => {
  const error = new CloudscapesRequestError(429, 'cmr_busy', 'CMR is busy.');

  it("shows the message and the feature's hint, with dismiss and retry", async () => {
    const onDismiss = jest.fn();
    const onRetry = jest.fn();
    const widget = await show(
      <ErrorView
        error={error}
        trans={trans}
        hintFor={e => (e.status === 429 ? 'Wait a minute.' : '')}
        prominent={e => e.status === 429}
        onDismiss={onDismiss}
        onRetry={onRetry}
      />
    );
    const $ = (s: string) => widget.node.querySelector(s) as HTMLElement;
    expect($('[role="alert"]').dataset.code).toBe('cmr_busy');
    expect($('.cs-ErrorBanner-message').textContent).toBe('CMR is busy.');
    expect($('.cs-ErrorBanner-hint').textContent).toContain('Wait a minute.');
    expect($('.cs-ErrorBanner').classList).toContain('cs-mod-prominent');
    $('.cs-ErrorBanner-dismiss').click();
    $('.cs-ErrorView-retry').click();
    expect(onDismiss).toHaveBeenCalledTimes(1);
    expect(onRetry).toHaveBeenCalledTimes(1);
    widget.dispose();
  });

  it('offers no buttons the panel does not handle', async () => {
    const widget = await show(<ErrorView error={error} trans={trans} />);
    expect(widget.node.querySelector('button')).toBeNull();
    expect(widget.node.querySelector('.cs-ErrorBanner-hint')).toBeNull();
    widget.dispose();
  });
});

describe('RegionBadge', () => {
  it('is a status coloured by its state', async () => {
    const widget = await show(
      <RegionBadge
        state={regionState(false)}
        text="Outside us-west-2"
        title="Use HTTPS links."
      />
    );
    const badge = widget.node.querySelector('.cs-RegionBadge') as HTMLElement;
    expect(badge.getAttribute('role')).toBe('status');
    expect(badge.dataset.tone).toBe('warn');
    expect(badge.classList).toContain('cs-mod-out');
    expect(badge.getAttribute('aria-label')).toBe(
      'Outside us-west-2. Use HTTPS links.'
    );
    expect(regionState(true)).toBe('in');
    expect(regionState(null)).toBe('unknown');
    widget.dispose();
  });
});
