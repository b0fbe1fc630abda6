import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  CloudscapesRequestError,
  ErrorBanner,
  Loading,
  toRequestError
} from '@cloudscapes/core';

import { Cluster, DaskModel, Plot } from '../model';

/**
 * "Dashboard ▾": the cluster's plots (task stream, progress, worker memory
 * first), each opening in a main-area tab. A WAI-ARIA menu button: Enter,
 * Space or ArrowDown open it, arrows move, Escape closes.
 */
export function DashboardMenu(props: {
  cluster: Cluster;
  model: DaskModel;
  trans: TranslationBundle;
  onOpen: (plot: Plot) => void;
}): JSX.Element {
  const { cluster, model, trans } = props;
  const [open, setOpen] = React.useState(false);
  const [plots, setPlots] = React.useState<Plot[] | null>(null);
  const [error, setError] = React.useState<CloudscapesRequestError | null>(
    null
  );
  const button = React.useRef<HTMLButtonElement>(null);
  const menu = React.useRef<HTMLUListElement>(null);
  const menuId = `cs-dask-plots-${cluster.id}`;

  const items = () =>
    Array.from(
      menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []
    );
  const focusItem = (index: number) => {
    const all = items();
    if (all.length) {
      all[(index + all.length) % all.length].focus();
    }
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) {
      button.current?.focus();
    }
  };
  const show = () => {
    setOpen(true);
    setError(null);
    model
      .plots(cluster.id)
      .then(setPlots)
      .catch(reason => setError(toRequestError(reason)));
  };

  // focus the first plot once they are shown
  React.useEffect(() => {
    if (open && plots) {
      focusItem(0);
    }
  }, [open, plots]);

  // a click elsewhere closes the menu
  React.useEffect(() => {
    if (!open) {
      return;
    }
    const onDown = (event: MouseEvent) => {
      const target = event.target as Node;
      if (
        !menu.current?.contains(target) &&
        !button.current?.contains(target)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const onButtonKey = (event: React.KeyboardEvent) => {
    if (event.key === 'ArrowDown' && !open) {
      event.preventDefault();
      show();
    }
  };
  const onMenuKey = (event: React.KeyboardEvent) => {
    const all = items();
    const index = all.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: all.length - 1
    };
    if (event.key in moves) {
      event.preventDefault();
      focusItem(moves[event.key]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  };

  return (
    <div className="cs-DashboardMenu">
      <button
        ref={button}
        type="button"
        className="jp-Button jp-mod-styled cs-DashboardMenu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : show())}
        onKeyDown={onButtonKey}
      >
        {trans.__('Dashboard')}
        <span className="cs-DashboardMenu-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        <div className="cs-DashboardMenu-popup">
          {error ? (
            <ErrorBanner
              message={error.message}
              hint={error.hint}
              code={error.code}
            />
          ) : plots === null ? (
            <Loading label={trans.__('Loading plots…')} />
          ) : plots.length === 0 ? (
            <div className="cs-DashboardMenu-empty">
              {trans.__('This cluster has no dashboard plots.')}
            </div>
          ) : null}
          <ul
            ref={menu}
            id={menuId}
            className="cs-DashboardMenu-list"
            role="menu"
            aria-label={trans.__('Dashboard plots of %1', cluster.name)}
            onKeyDown={onMenuKey}
            hidden={!plots || plots.length === 0}
          >
            {(plots ?? []).map(plot => (
              <li key={plot.name} role="none">
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className="cs-DashboardMenu-item"
                  data-plot={plot.name}
                  onClick={() => {
                    close(false);
                    props.onOpen(plot);
                  }}
                >
                  {plot.title}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
