/**
 * The Git commands, for the palette, the Git menu, shortcuts and the file
 * browser's context menu (all declared in schema/plugin.json). They load the
 * panel's view on first use and call the same actions as its buttons. The
 * file-browser entries act on the selected file and show only where they
 * mean something: on files of the repository the panel follows, "Show
 * changes" and "Discard" only on changed ones, "Ignore" only on new ones.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { FileBrowser } from '@jupyterlab/filebrowser';
import type { TranslationBundle } from '@jupyterlab/translation';

import { addShowCommand } from '@cloudscapes/core';

import type { IStatusFile } from './api';
import { gitIcon } from './icon';
import type { GitModel } from './model';
import { repoFile } from './status';
import { CommandIDs, IGitPanel, IGitView } from './tokens';

export interface ICommandOptions {
  trans: TranslationBundle;
  /** The default file browser (its selection for the context-menu entries). */
  fileBrowser: FileBrowser | null;
}

/**
 * The view with polling started and a first status when none is known yet
 * (a command run before the panel was ever shown).
 */
async function ready(git: IGitPanel): Promise<IGitView> {
  const view = await git.load();
  const { model } = view;
  model.start();
  if (model.repo === null) {
    await model.refresh().catch(() => undefined);
  }
  return view;
}

/**
 * The file browser's selected item, as the panel's repository names it.
 */
function selectedFile(
  model: GitModel | undefined,
  browser: FileBrowser | null,
  args: Record<string, unknown>
): { file: string; changes: IStatusFile[] } | null {
  if (!model || !model.inRepo) {
    return null;
  }
  let path = typeof args['path'] === 'string' ? (args['path'] as string) : '';
  if (!path && browser) {
    const item = browser.selectedItems().next();
    path = item && !item.done ? item.value.path : '';
  }
  const file = path ? repoFile(model.repoPath, path) : null;
  if (!file) {
    return null;
  }
  const changes = ['conflicted', 'staged', 'changed', 'untracked']
    .flatMap(g => model.files(g as IStatusFile['group']))
    .filter(f => f.file === file || f.file === `${file}/`);
  return { file, changes };
}

export function addCommands(
  app: JupyterFrontEnd,
  git: IGitPanel,
  options: ICommandOptions
): void {
  const { commands } = app;
  const { trans, fileBrowser } = options;
  const model = () => git.view?.model;
  const inRepo = () => model()?.inRepo ?? true;
  const run = (action: (view: IGitView) => void) => async (): Promise<void> => {
    action(await ready(git));
  };

  addShowCommand(app, CommandIDs.open, () => void git.show(), {
    label: trans.__('Open Git'),
    caption: trans.__(
      'Show the Git panel: changes, commits, branches, push and pull'
    ),
    icon: gitIcon
  });

  commands.addCommand(CommandIDs.refresh, {
    label: trans.__('Refresh Git Status'),
    caption: trans.__('Read the changed files again'),
    execute: async () => {
      const view = await ready(git);
      await view.model.refresh().catch(() => undefined);
    }
  });

  commands.addCommand(CommandIDs.clone, {
    label: trans.__('Clone a Repository…'),
    caption: trans.__('Copy a git repository (a tutorial, a project) here'),
    execute: run(view => view.actions.clone())
  });

  commands.addCommand(CommandIDs.init, {
    label: trans.__('Make This Folder a Repository'),
    caption: trans.__('Start tracking the file browser’s folder with git'),
    isEnabled: () => !(model()?.inRepo ?? false),
    execute: run(view => view.actions.init())
  });

  commands.addCommand(CommandIDs.commit, {
    label: trans.__('Commit…'),
    caption: trans.__('Write the message and commit the staged files'),
    isEnabled: inRepo,
    execute: async () => {
      await git.show();
      (await ready(git)).panel.focusCommit();
    }
  });

  commands.addCommand(CommandIDs.stageAll, {
    label: trans.__('Stage All Changes'),
    caption: trans.__('Stage every changed and new file for the next commit'),
    isEnabled: inRepo,
    execute: run(view => view.actions.stage('all'))
  });

  commands.addCommand(CommandIDs.unstageAll, {
    label: trans.__('Unstage All'),
    caption: trans.__('Leave every staged file out of the next commit'),
    isEnabled: inRepo,
    execute: run(view => view.actions.unstage('all'))
  });

  commands.addCommand(CommandIDs.pull, {
    label: trans.__('Pull'),
    caption: trans.__('Bring in the new commits of the remote'),
    isEnabled: inRepo,
    execute: run(view => view.actions.pull())
  });

  commands.addCommand(CommandIDs.push, {
    label: trans.__('Push'),
    caption: trans.__('Send your commits to the remote'),
    isEnabled: inRepo,
    execute: run(view => view.actions.push())
  });

  commands.addCommand(CommandIDs.fetch, {
    label: trans.__('Fetch'),
    caption: trans.__('Check the remote for new commits (changes no file)'),
    isEnabled: inRepo,
    execute: run(view => view.actions.fetch())
  });

  commands.addCommand(CommandIDs.update, {
    label: trans.__('Update the Tutorial'),
    caption: trans.__(
      'Bring in the instructors’ latest version; your own changes are kept'
    ),
    isEnabled: () => model()?.repo?.upstream_configured ?? true,
    execute: run(view => view.actions.update())
  });

  commands.addCommand(CommandIDs.newBranch, {
    label: trans.__('New Branch…'),
    caption: trans.__('Start a new branch from the current commit'),
    isEnabled: inRepo,
    execute: run(view => view.actions.createBranch())
  });

  commands.addCommand(CommandIDs.stash, {
    label: trans.__('Stash Changes…'),
    caption: trans.__('Put your uncommitted changes aside'),
    isEnabled: inRepo,
    execute: run(view => view.actions.stash())
  });

  commands.addCommand(CommandIDs.history, {
    label: trans.__('Show History'),
    caption: trans.__('The commits of the repository, with the branch graph'),
    isEnabled: inRepo,
    execute: async () => {
      await git.show();
      (await ready(git)).actions.showHistory(null);
    }
  });

  commands.addCommand(CommandIDs.openTerminal, {
    label: trans.__('Open a Terminal in the Repository'),
    caption: trans.__('A terminal whose folder is the repository’s top'),
    isEnabled: inRepo,
    execute: run(view => view.actions.openTerminal())
  });

  // ---- the file browser's context menu ----------------------------------------------

  const selected = (args: Record<string, unknown>) =>
    selectedFile(model(), fileBrowser, args);
  const changed = (args: Record<string, unknown>) =>
    (selected(args)?.changes ?? []).filter(f => f.group !== 'untracked');

  commands.addCommand(CommandIDs.fileDiff, {
    label: trans.__('Git: Show Changes'),
    caption: trans.__('Compare the file with its last committed version'),
    isVisible: args => changed(args).length > 0,
    execute: async args => {
      const view = await ready(git);
      const file = selectedFile(view.model, fileBrowser, args)?.changes.find(
        f => f.group !== 'untracked'
      );
      if (file) {
        view.actions.openFile(file);
      }
    }
  });

  commands.addCommand(CommandIDs.fileHistory, {
    label: trans.__('Git: Show File History'),
    caption: trans.__('The commits that changed this file'),
    // a new file has no history yet
    isVisible: args => {
      const found = selected(args);
      return !!found && !found.changes.some(f => f.group === 'untracked');
    },
    execute: async args => {
      const view = await ready(git);
      const found = selectedFile(view.model, fileBrowser, args);
      if (found) {
        await git.show();
        view.actions.showHistory(found.file);
      }
    }
  });

  commands.addCommand(CommandIDs.fileDiscard, {
    label: trans.__('Git: Discard Changes…'),
    caption: trans.__('Put the file back as it was in the last commit'),
    isVisible: args =>
      (selected(args)?.changes ?? []).some(f => f.group === 'changed'),
    execute: async args => {
      const view = await ready(git);
      const file = selectedFile(view.model, fileBrowser, args)?.changes.find(
        f => f.group === 'changed'
      );
      if (file) {
        view.actions.discard([file]);
      }
    }
  });

  commands.addCommand(CommandIDs.fileIgnore, {
    label: trans.__('Git: Ignore This File'),
    caption: trans.__('Add the file to .gitignore: git leaves it out'),
    isVisible: args =>
      (selected(args)?.changes ?? []).some(f => f.group === 'untracked'),
    execute: async args => {
      const view = await ready(git);
      const found = selectedFile(view.model, fileBrowser, args);
      const untracked = found?.changes.find(f => f.group === 'untracked');
      if (found && untracked) {
        view.actions.ignore(found.file, untracked.folder);
      }
    }
  });
}

/**
 * The commands the palette lists, in its "Git" category.
 */
export const PALETTE_COMMANDS = [
  CommandIDs.open,
  CommandIDs.refresh,
  CommandIDs.clone,
  CommandIDs.init,
  CommandIDs.commit,
  CommandIDs.stageAll,
  CommandIDs.unstageAll,
  CommandIDs.pull,
  CommandIDs.push,
  CommandIDs.fetch,
  CommandIDs.update,
  CommandIDs.newBranch,
  CommandIDs.stash,
  CommandIDs.history,
  CommandIDs.openTerminal
];
