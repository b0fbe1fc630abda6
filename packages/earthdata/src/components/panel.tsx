import type { TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import * as React from 'react';

import { Loading } from '@cloudscapes/core';

import type { EarthdataModel } from '../model';
import { DaacList } from './daacList';
import { EarthdataError } from './earthdataError';
import { EarthdataRegion } from './earthdataRegion';
import { SignInForm } from './signInForm';
import { SignedInCard } from './signedInCard';

/**
 * What the panel's buttons do that goes through commands (so they also live in
 * the palette, with their dialogs and notifications).
 */
export interface IPanelActions {
  signOut(): void;
  renew(): void;
  writeProfiles(): void;
}

/**
 * The left-sidebar panel: the region badge, then the sign-in form or the
 * signed-in card with the DAACs' S3 credentials.
 */
export class EarthdataPanel extends VDomRenderer<EarthdataModel> {
  constructor(
    model: EarthdataModel,
    private _trans: TranslationBundle,
    private _actions: IPanelActions
  ) {
    super(model);
    this.addClass('cs-EarthdataPanel');
  }

  render(): JSX.Element {
    const trans = this._trans;
    const model = this.model;
    const session = model.session;
    const error = model.error;
    const now = Date.now();
    let body: JSX.Element | null;
    if (!session) {
      body = error ? (
        <button
          className="jp-Button jp-mod-styled jp-mod-accept cs-EarthdataPanel-retry"
          onClick={() => void model.refresh().catch(() => undefined)}
        >
          {trans.__('Try again')}
        </button>
      ) : (
        <Loading label={trans.__('Checking your Earthdata Login…')} />
      );
    } else if (session.signed_in) {
      body = (
        <>
          <SignedInCard
            session={session}
            trans={trans}
            busy={model.busy}
            now={now}
            onRenew={() => this._actions.renew()}
            onSignOut={() => this._actions.signOut()}
          />
          <DaacList
            model={model}
            trans={trans}
            now={now}
            onWriteProfiles={() => this._actions.writeProfiles()}
          />
        </>
      );
    } else {
      body = (
        <SignInForm
          session={session}
          trans={trans}
          busy={model.busy}
          rememberDefault={model.rememberDefault}
          environmentDefault={model.environmentDefault}
          onSignIn={request =>
            void model.signIn(request).catch(() => undefined)
          }
        />
      );
    }
    return (
      <div className="cs-EarthdataPanel-body">
        <div className="cs-PanelHeader cs-EarthdataPanel-header">
          <h2 className="cs-PanelTitle">{trans.__('Earthdata Login')}</h2>
          {model.regionChecked ? (
            <EarthdataRegion region={model.region} trans={trans} />
          ) : null}
        </div>
        {error ? (
          <EarthdataError
            error={error}
            trans={trans}
            onDismiss={session ? () => model.dismissError() : undefined}
          />
        ) : null}
        {body}
      </div>
    );
  }
}
