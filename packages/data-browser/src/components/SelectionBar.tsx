import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { DataBrowserModel } from '../model';
import type { IPanelActions } from '../tokens';

export function SelectionBar(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element | null {
  const { model, trans, actions } = props;
  const count = model.selectionCount;
  const what =
    model.tab === 'search'
      ? trans._n('%1 granule selected', '%1 granules selected', count)
      : trans._n('%1 object selected', '%1 objects selected', count);
  const disabled = count === 0 || model.busy;
  return (
    <div
      className="cs-SelectionBar"
      role="toolbar"
      aria-label={trans.__('Actions on the selection')}
    >
      <span className="cs-SelectionBar-count" aria-live="polite">
        {what}
      </span>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-accept cs-SelectionBar-insertCode"
        disabled={disabled}
        onClick={() => actions.insertCode()}
        title={trans.__(
          'Insert code that opens the selection into the notebook'
        )}
      >
        {trans.__('Insert code')}
      </button>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-reject cs-SelectionBar-download"
        disabled={disabled}
        onClick={() => actions.download()}
        title={trans.__('Download the selection into your server’s files')}
      >
        {trans.__('Download')}
      </button>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-reject cs-SelectionBar-copyS3"
        disabled={disabled}
        onClick={() => actions.copyS3()}
      >
        {trans.__('Copy S3 URL')}
      </button>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-reject cs-SelectionBar-copyHttps"
        disabled={disabled || !model.httpsAvailable}
        onClick={() => actions.copyHttps()}
      >
        {trans.__('Copy HTTPS URL')}
      </button>
      <button
        type="button"
        className="jp-Button jp-mod-minimal cs-SelectionBar-clear"
        disabled={count === 0}
        onClick={() => model.clearSelection()}
      >
        {trans.__('Clear')}
      </button>
    </div>
  );
}
