import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Cluster } from '../model';
import type { IPanelActions } from '../tokens';

/**
 * How each action's button looks: its JupyterLab tone, its `cs-ClusterCard-…`
 * class (what tests and styles find it by) and its label.
 */
const BUTTONS = {
  shutdown: {
    tone: 'jp-mod-warn',
    part: 'shutdown',
    label: (trans: TranslationBundle) => trans.__('Shut down')
  },
  remove: {
    tone: 'jp-mod-reject',
    part: 'remove',
    label: (trans: TranslationBundle) => trans.__('Remove')
  }
};

/**
 * A cluster's "Shut down" button (the same on a starting cluster's card as
 * among a running cluster's controls; `actions.shutdown` confirms when the
 * settings say so) or a failed cluster's "Remove" button.
 */
export function ClusterButton(props: {
  action: keyof typeof BUTTONS;
  cluster: Cluster;
  busy: boolean;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { action, cluster, busy, trans, actions } = props;
  const button = BUTTONS[action];
  return (
    <button
      type="button"
      className={`jp-Button jp-mod-styled ${button.tone} cs-ClusterCard-${button.part}`}
      disabled={busy}
      onClick={() => actions[action](cluster)}
    >
      {button.label(trans)}
    </button>
  );
}
