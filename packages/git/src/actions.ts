/**
 * What the Git panel's buttons (and the palette's commands) do, loaded with
 * the view. Each action that needs more than the model lives here: the
 * confirmations, the name/email dialog before a first commit, the warning
 * before committing a file too large for GitHub, clearing notebook outputs,
 * the network operations as jobs with their notifications (and the GitHub
 * sign-in or credentials dialog when a remote asks for them), and the views
 * of other parts (diffs, conflicts, the terminal, the file browser). The
 * diff, dialog and GitHub views are chunks of their own, imported on first use.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  InputDialog,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import {
  Job,
  confirmWarning,
  errorText,
  jobFraction,
  reportWhenHidden,
  toRequestError
} from '@cloudscapes/core';

import type { GitAPI, IStatusFile, IUpdateResult } from './api';
import { GitModel, RemoteOp } from './model';
import { clearOutputs, isNotebook } from './notebook';
import {
  clientPath,
  ignorePattern,
  largeStagedFiles,
  sizeText
} from './status';
import { jobError, remoteHost } from './jobs';
import type { IPanelActions, PanelTab } from './tokens';

/**
 * What the actions need besides the model.
 */
export interface IActionsOptions {
  app: JupyterFrontEnd;
  model: GitModel;
  trans: TranslationBundle;
  /** The panel (its banner shows failures; notifications while hidden). */
  panel: () => (Widget & { showTab?(tab: PanelTab): void }) | null;
  /** Show a folder in the file browser. */
  goTo: (path: string) => void;
}

export function panelActions(options: IActionsOptions): IPanelActions {
  const { app, model, trans } = options;
  const api: GitAPI = model.api;
  const report = (title: string, reason: unknown) => {
    const panel = options.panel();
    if (panel) {
      reportWhenHidden(panel)(title, reason);
    } else {
      Notification.error(errorText(title, reason), { autoClose: false });
    }
  };
  const deps = { api, trans };
  const quiet = (promise: Promise<unknown>, title: string) =>
    void promise.catch(reason => report(title, reason));

  const openDiff = async (file: IStatusFile) => {
    const { openDiff } = await import('./diff');
    const staged = file.group === 'staged';
    openDiff(
      app,
      {
        path: model.path,
        file: file.file,
        ...(staged ? { from: 'HEAD', to: 'INDEX' } : {})
      },
      deps
    );
  };

  const openInEditor = (file: string) =>
    void app.commands.execute('docmanager:open', {
      path: clientPath(model.repoPath, file)
    });

  /**
   * A network operation as a job: one notification that follows its
   * progress, then says what happened (`done` words a success). A remote that
   * asks for a sign-in gets one (GitHub's device flow or the credentials
   * dialog), then one retry.
   */
  const runRemote = async (
    op: RemoteOp,
    label: string,
    start: (api: GitAPI, path: string) => Promise<{ job: Job }>,
    options: {
      hostUrl?: string;
      done?: (job: Job) => { message: string; type?: 'success' | 'warning' };
    } = {},
    retried = false
  ): Promise<Job | null> => {
    const { hostUrl } = options;
    const id = Notification.emit(label, 'in-progress', { autoClose: false });
    let jobId: string | null = null;
    const onChange = (_: unknown, job: Job) => {
      if (job.id !== jobId) {
        return;
      }
      const fraction = jobFraction(job);
      const text = [
        label,
        job.message,
        fraction === null ? '' : `${Math.round(fraction * 100)}%`
      ]
        .filter(Boolean)
        .join(' ');
      Notification.update({ id, message: text, type: 'in-progress' });
    };
    model.jobs.jobChanged.connect(onChange);
    let job: Job;
    try {
      job = await model.runJob(op, (a, path) =>
        start(a, path).then(answer => {
          jobId = answer.job.id;
          return answer;
        })
      );
    } catch (reason) {
      Notification.update({
        id,
        message: errorText(trans.__('%1 did not start.', label), reason),
        type: 'error',
        autoClose: false
      });
      return null;
    } finally {
      model.jobs.jobChanged.disconnect(onChange);
    }
    if (job.status === 'succeeded') {
      const done = options.done?.(job);
      if (done) {
        Notification.update({
          id,
          message: done.message,
          type: done.type ?? 'success',
          autoClose: done.type === 'warning' ? false : 5000
        });
      } else {
        Notification.dismiss(id);
      }
      return job;
    }
    if (job.status === 'cancelled') {
      Notification.update({
        id,
        message: trans.__('%1 was cancelled.', label),
        type: 'info',
        autoClose: 4000
      });
      return job;
    }
    const error = jobError(job, trans);
    if (error.code === 'auth_required' && !retried) {
      Notification.dismiss(id);
      if (!hostUrl && model.refs.remotes === null) {
        await model.refs.load().catch(() => undefined);
      }
      const url =
        hostUrl ?? model.refs.remoteUrl(model.upstreamRemote ?? 'origin');
      const host = remoteHost(job, url) ?? '';
      const { signInOrAskCredentials } = await import('./github');
      if (await signInOrAskCredentials(app, api, trans, host)) {
        return runRemote(op, label, start, options, true);
      }
      return job;
    }
    const actions =
      error.code === 'push_rejected'
        ? [
            {
              label: trans.__('Pull'),
              callback: () => void pull()
            },
            ...(model.repo?.upstream_configured
              ? [
                  {
                    label: trans.__('Update the tutorial'),
                    callback: () => void update()
                  }
                ]
              : [])
          ]
        : [];
    Notification.update({
      id,
      message: [error.message, error.hint].filter(Boolean).join(' '),
      type: 'error',
      autoClose: false,
      actions
    });
    return job;
  };

  const pull = async () => {
    await runRemote('pull', trans.__('Pulling…'), (a, p) => a.pull(p), {
      done: job => {
        const result = job.result as { conflicts?: string[]; result?: string };
        return result?.result === 'conflicts'
          ? {
              type: 'warning',
              message: trans._n(
                'The pull brought changes that conflict with yours in %1 file. Open it in the Conflicts list to choose what to keep.',
                'The pull brought changes that conflict with yours in %1 files. Open them in the Conflicts list to choose what to keep.',
                result.conflicts?.length ?? 0
              )
            }
          : { message: trans.__('Pulled: your branch is up to date.') };
      }
    });
  };

  const push = async () => {
    const branch = model.status?.branch;
    const setUpstream = !!branch?.head && !branch.upstream;
    await runRemote(
      'push',
      trans.__('Pushing…'),
      (a, p) => a.push(p, setUpstream ? { set_upstream: true } : {}),
      {
        done: () => ({
          message: trans.__('Pushed: your commits are on the remote.')
        })
      }
    );
  };

  const fetch = async () => {
    await runRemote('fetch', trans.__('Fetching…'), (a, p) => a.fetch(p), {
      done: () => ({ message: trans.__('Fetched the latest commits.') })
    });
  };

  const update = async () => {
    const job = await runRemote(
      'update',
      trans.__('Updating the tutorial…'),
      (a, p) => a.update(p)
    );
    if (job?.status === 'succeeded' && job.result) {
      const { showUpdateResult } = await import('./dialogs');
      await showUpdateResult(trans, job.result as unknown as IUpdateResult);
    }
  };

  const clone = async () => {
    const [{ showCloneDialog }, github] = await Promise.all([
      import('./dialogs'),
      api.github().catch(() => model.github)
    ]);
    model.setGitHub(github);
    const answer = await showCloneDialog(api, trans, {
      githubSignedIn: !!github?.signed_in
    });
    if (!answer) {
      return;
    }
    const job = await runRemote(
      'clone',
      trans.__('Cloning…'),
      (a, p) =>
        a.clone(p, answer.url, answer.name ? { name: answer.name } : {}),
      {
        hostUrl: answer.url,
        done: job => ({
          message: trans.__(
            'Cloned into %1.',
            (job.result as { path?: string } | null)?.path ?? answer.url
          )
        })
      }
    );
    const path = (job?.result as { path?: string } | null)?.path;
    if (job?.status === 'succeeded' && path !== undefined) {
      options.goTo(path);
    }
  };

  /**
   * Before a commit: the staged files too large for GitHub, each with
   * "Ignore it" (added to .gitignore and unstaged). Resolves `false` to stop.
   */
  const checkLargeFiles = async (): Promise<boolean> => {
    const large = largeStagedFiles(
      model.status,
      model.settings.largeFileWarningMB
    );
    for (const file of large) {
      const result = await showDialog({
        title: trans.__('%1 is large', file.file),
        body: trans.__(
          '%1 is %2. GitHub refuses files over 100 MB, and large files make the repository slow to clone for everyone. Ignore it (add it to .gitignore and leave it out of the commit), or commit it anyway?',
          file.file,
          sizeText(file.size ?? 0)
        ),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.warnButton({
            label: trans.__('Commit anyway'),
            ariaLabel: trans.__('Commit %1 anyway', file.file)
          }),
          Dialog.okButton({ label: trans.__('Ignore it') })
        ]
      });
      if (!result.button.accept) {
        return false;
      }
      if (result.button.displayType !== 'warn') {
        await model.ignore(ignorePattern(file.file));
        await model.unstage([file.file]);
      }
    }
    return true;
  };

  /**
   * Clear the outputs of the staged notebooks (saved through the contents
   * API, then staged again).
   */
  const clearStagedOutputs = async () => {
    const notebooks = model
      .files('staged')
      .filter(f => isNotebook(f.file) && f.status !== 'deleted');
    const contents = app.serviceManager.contents;
    const cleared: string[] = [];
    for (const file of notebooks) {
      const path = clientPath(model.repoPath, file.file);
      const model_ = await contents.get(path, {
        content: true,
        type: 'notebook'
      });
      const content = clearOutputs(model_.content);
      if (content) {
        await contents.save(path, {
          type: 'notebook',
          format: 'json',
          content
        });
        cleared.push(file.file);
      }
    }
    if (cleared.length) {
      await model.stage(cleared);
    }
  };

  const commit = async (
    summary: string,
    description: string,
    amend: boolean
  ): Promise<boolean> => {
    const message = description.trim()
      ? `${summary.trim()}\n\n${description.trim()}`
      : summary.trim();
    try {
      if (!(await checkLargeFiles())) {
        return false;
      }
      if (model.settings.clearOutputsBeforeCommit) {
        await clearStagedOutputs();
      }
      let result;
      try {
        result = await model.commit(message, amend);
      } catch (reason) {
        if (toRequestError(reason).code !== 'identity_required') {
          throw reason;
        }
        model.setActionError(null);
        const { askIdentity } = await import('./dialogs');
        const identity = await askIdentity(trans);
        if (!identity) {
          return false;
        }
        await api.setIdentity(identity.name, identity.email);
        result = await model.commit(message, amend);
      }
      Notification.success(
        trans.__('Committed %1: %2', result.oid.slice(0, 7), result.summary),
        { autoClose: 4000 }
      );
      return true;
    } catch (reason) {
      report(trans.__('Nothing was committed.'), reason);
      return false;
    }
  };

  const askName = async (title: string, value = '', label?: string) => {
    const answer = await InputDialog.getText({
      title,
      text: value,
      label,
      okLabel: trans.__('OK'),
      cancelLabel: trans.__('Cancel')
    });
    const name = answer.button.accept ? (answer.value ?? '').trim() : '';
    return name || null;
  };

  const refs = model.refs;

  return {
    openFile: file => {
      if (file.group === 'conflicted') {
        void import('./conflicts').then(({ openConflict }) =>
          openConflict(
            app,
            { path: model.path, file: file.file },
            {
              ...deps,
              onResolved: () => void model.refresh().catch(() => undefined)
            }
          )
        );
      } else if (
        model.settings.openDiffOnClick &&
        !file.folder &&
        file.status !== 'untracked'
      ) {
        void openDiff(file);
      } else if (!file.folder) {
        openInEditor(file.file);
      } else {
        options.goTo(clientPath(model.repoPath, file.file.replace(/\/$/, '')));
      }
    },
    openDiff: file => void openDiff(file),
    openInEditor,
    stage: files => quiet(model.stage(files), trans.__('Nothing was staged.')),
    unstage: files =>
      quiet(model.unstage(files), trans.__('Nothing was unstaged.')),
    discard: async files => {
      const { confirmDiscard } = await import('./dialogs');
      if (
        await confirmDiscard(
          trans,
          files.map(f => f.file)
        )
      ) {
        quiet(
          model.discard(files.map(f => f.file)),
          trans.__('Nothing was discarded.')
        );
      }
    },
    ignore: (file, folder = false) =>
      quiet(
        model.ignore(ignorePattern(file, folder)),
        trans.__('The file was not ignored.')
      ),
    commit,
    showHistory: file => {
      model.history.setFile(file);
      options.panel()?.showTab?.('history');
    },
    clone: () => void clone(),
    init: () => quiet(model.init(), trans.__('No repository was created.')),
    pull: () => void pull(),
    push: () => void push(),
    fetch: () => void fetch(),
    update: () => void update(),
    openTerminal: () =>
      void app.commands.execute('terminal:create-new', {
        cwd: model.repoPath ?? model.path
      }),
    goTo: path => options.goTo(path),
    createBranch: async () => {
      const name = await askName(
        trans.__('New branch'),
        '',
        trans.__('Name of the new branch (it starts from the current commit)')
      );
      if (name) {
        quiet(
          refs.createBranch(name, true),
          trans.__('No branch was created.')
        );
      }
    },
    switchBranch: name =>
      quiet(refs.switchBranch(name), trans.__('The branch was not switched.')),
    renameBranch: async name => {
      const next = await askName(trans.__('Rename branch %1', name), name);
      if (next && next !== name) {
        quiet(
          refs.renameBranch(name, next),
          trans.__('The branch was not renamed.')
        );
      }
    },
    deleteBranch: async name => {
      const confirmed = await confirmWarning(trans, {
        title: trans.__('Delete branch %1?', name),
        body: trans.__(
          'Commits that are on no other branch become hard to find. Git refuses to delete a branch that is not merged unless you tick the box.'
        ),
        accept: trans.__('Delete'),
        checkbox: { label: trans.__('Delete even if not merged') }
      });
      if (confirmed) {
        quiet(
          refs.deleteBranch(name, confirmed.checked),
          trans.__('The branch was not deleted.')
        );
      }
    },
    mergeBranch: async name => {
      const current = refs.branches?.current ?? model.status?.branch.head;
      const confirmed = await confirmWarning(trans, {
        title: trans.__('Merge %1 into %2?', name, current ?? ''),
        body: trans.__(
          'The commits of %1 are brought into your current branch. If both changed the same lines, Git asks you to choose (a conflict).',
          name
        ),
        accept: trans.__('Merge')
      });
      if (!confirmed) {
        return;
      }
      try {
        const result = await refs.merge(name);
        if (result.result === 'conflicts') {
          Notification.warning(
            trans._n(
              '%1 file has conflicts: open it in the Conflicts list.',
              '%1 files have conflicts: open them in the Conflicts list.',
              result.conflicts.length
            ),
            { autoClose: false }
          );
          options.panel()?.showTab?.('changes');
        } else {
          Notification.success(
            result.result === 'up_to_date'
              ? trans.__('Already up to date: nothing to merge.')
              : trans.__('Merged %1.', name),
            { autoClose: 4000 }
          );
        }
      } catch (reason) {
        report(trans.__('Nothing was merged.'), reason);
      }
    },
    abortMerge: async () => {
      const confirmed = await confirmWarning(trans, {
        title: trans.__('Abort the merge?'),
        body: trans.__(
          'Your files go back to how they were before the merge; the choices you made in conflicted files are lost.'
        ),
        accept: trans.__('Abort merge')
      });
      if (confirmed) {
        quiet(refs.abortMerge(), trans.__('The merge was not aborted.'));
      }
    },
    createTag: async () => {
      const name = await askName(
        trans.__('New tag'),
        '',
        trans.__('Name of the tag (it marks the current commit)')
      );
      if (name) {
        quiet(refs.createTag(name), trans.__('No tag was created.'));
      }
    },
    deleteTag: async name => {
      const confirmed = await confirmWarning(trans, {
        title: trans.__('Delete tag %1?', name),
        body: trans.__('The tag is removed here; commits stay.'),
        accept: trans.__('Delete')
      });
      if (confirmed) {
        quiet(refs.deleteTag(name), trans.__('The tag was not deleted.'));
      }
    },
    stash: async () => {
      const answer = await InputDialog.getText({
        title: trans.__('Stash your changes'),
        label: trans.__(
          'Your changes (new files too) are put aside and the files go back to the last commit. A note to find them again (optional):'
        ),
        okLabel: trans.__('Stash'),
        cancelLabel: trans.__('Cancel')
      });
      if (answer.button.accept) {
        quiet(
          refs.stash((answer.value ?? '').trim() || undefined),
          trans.__('Nothing was stashed.')
        );
      }
    },
    applyStash: (index, pop) =>
      quiet(
        refs.applyStash(index, pop),
        trans.__('The stash was not applied.')
      ),
    dropStash: async index => {
      const confirmed = await confirmWarning(trans, {
        title: trans.__('Drop this stash?'),
        body: trans.__('The changes it holds are lost.'),
        accept: trans.__('Drop')
      });
      if (confirmed) {
        quiet(refs.dropStash(index), trans.__('The stash was not dropped.'));
      }
    },
    addRemote: async () => {
      const name = await askName(
        trans.__('Add a remote'),
        'origin',
        trans.__('Name')
      );
      if (!name) {
        return;
      }
      const url = await askName(
        trans.__('Address of %1', name),
        '',
        trans.__('URL (https://… or git@host:owner/repo.git)')
      );
      if (url) {
        quiet(refs.addRemote(name, url), trans.__('The remote was not added.'));
      }
    },
    removeRemote: async name => {
      const confirmed = await confirmWarning(trans, {
        title: trans.__('Remove remote %1?', name),
        body: trans.__(
          'This repository forgets the address; nothing on the remote is deleted.'
        ),
        accept: trans.__('Remove')
      });
      if (confirmed) {
        quiet(refs.removeRemote(name), trans.__('The remote was not removed.'));
      }
    },
    openCommitFile: (oid, parent, file) =>
      void import('./diff').then(({ openDiff }) =>
        openDiff(
          app,
          {
            path: model.path,
            file,
            from: parent ?? undefined,
            to: oid,
            title: `${file} @ ${oid.slice(0, 7)}`
          },
          deps
        )
      )
  };
}
