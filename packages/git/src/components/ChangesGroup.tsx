import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { FileGroup } from '../api';
import type { GitModel } from '../model';
import { groupHint, groupLabel } from '../status';
import type { IPanelActions } from '../tokens';
import { FileRow } from './FileRow';
import { WindowedList } from './WindowedList';

/**
 * One group of changes (conflicts, staged, changed, untracked): its title and
 * count, the actions on the whole group, and its files in a windowed list
 * that loads the next page of the server's status as the user scrolls.
 */
export function ChangesGroup(props: {
  group: FileGroup;
  model: GitModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element | null {
  const { group, model, trans, actions } = props;
  const [open, setOpen] = React.useState(true);
  const files = model.files(group);
  const count = model.count(group);
  const onNearEnd = React.useCallback(
    () => void model.loadMore(group),
    [model, group]
  );
  if (count === 0 && files.length === 0) {
    return null;
  }
  const label = groupLabel(group, trans);
  const id = `cs-git-group-${group}`;
  const limit = model.settings.largeFileWarningMB * 1024 * 1024;
  return (
    <section className={`cs-Git-group cs-mod-${group}`} data-group={group}>
      <div className="cs-Git-groupHeader">
        <button
          type="button"
          className="cs-Git-groupToggle"
          aria-expanded={open}
          aria-controls={id}
          title={groupHint(group, trans)}
          onClick={() => setOpen(!open)}
        >
          <span className="cs-Git-caret" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          <span className="cs-Git-groupLabel">{label}</span>
          <span className="cs-Git-groupCount">{count}</span>
        </button>
        {group === 'staged' ? (
          <button
            type="button"
            className="jp-Button jp-mod-minimal cs-Git-groupAction"
            onClick={() => actions.unstage('all')}
          >
            {trans.__('Unstage all')}
          </button>
        ) : group === 'changed' || group === 'untracked' ? (
          <button
            type="button"
            className="jp-Button jp-mod-minimal cs-Git-groupAction"
            aria-label={trans.__('Stage all: %1', label)}
            onClick={() =>
              actions.stage(
                model.hasMore(group) ? { group } : files.map(f => f.file)
              )
            }
          >
            {trans.__('Stage all')}
          </button>
        ) : null}
      </div>
      {open ? (
        <div id={id}>
          <WindowedList
            label={label}
            count={files.length}
            keyAt={i => files[i].file}
            maxHeight={360}
            onNearEnd={model.hasMore(group) ? onNearEnd : undefined}
            renderRow={i => (
              <FileRow
                file={files[i]}
                trans={trans}
                actions={actions}
                large={
                  limit > 0 && files[i].size !== null && files[i].size! > limit
                }
              />
            )}
          />
          {model.hasMore(group) ? (
            <div className="cs-Git-more" role="status">
              {trans.__('%1 of %2 shown; scroll for more', files.length, count)}
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
