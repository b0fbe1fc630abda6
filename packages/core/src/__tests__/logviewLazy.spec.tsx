import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { LogView } from '../index';
import { attached, settle } from './render';

/**
 * The LogView that core exports stands in with an empty, busy log region and
 * renders the windowed view once its chunk has loaded.
 */
describe('LogView (exported from core, loaded on first render)', () => {
  it('shows the busy region first, then the real log with its lines', async () => {
    const lines = [
      {
        n: 1,
        time: '2024-09-01T00:00:00Z',
        stream: 'stdout' as const,
        text: 'cloning'
      }
    ];
    const host = ReactWidget.create(
      <LogView lines={lines} label="Log of a job" />
    );
    await attached(host);
    const region = host.node.querySelector('[role="log"]');
    expect(region?.getAttribute('aria-label')).toBe('Log of a job');
    for (
      let i = 0;
      i < 20 && !host.node.querySelector('.cs-LogView-scroller');
      i++
    ) {
      await settle();
    }
    expect(host.node.querySelector('.cs-LogView-scroller')).not.toBeNull();
    expect(host.node.querySelector('[aria-busy="true"]')).toBeNull();
    host.dispose();
  });
});
