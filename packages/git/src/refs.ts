/**
 * The Branches tab's part of the model: branches (local and remote), tags,
 * stashes and remotes of the repository, loaded when the tab is shown and
 * again after each action on them, and the actions themselves. Failures
 * become the model's `actionError` (the panel's banner) and are thrown on.
 */
import { CloudscapesRequestError, toRequestError } from '@cloudscapes/core';

import type { IBranches, IMergeResult, IRemote, IStash, ITag } from './api';
import type { GitModel } from './model';

export class GitRefs {
  constructor(private _model: GitModel) {}

  get branches(): IBranches | null {
    return this._branches;
  }

  get tags(): readonly ITag[] | null {
    return this._tags;
  }

  get stashes(): readonly IStash[] | null {
    return this._stashes;
  }

  get remotes(): readonly IRemote[] | null {
    return this._remotes;
  }

  get error(): CloudscapesRequestError | null {
    return this._error;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  reset(): void {
    this._generation++;
    this._branches = null;
    this._tags = null;
    this._stashes = null;
    this._remotes = null;
    this._loaded = false;
    this._error = null;
    this._model._changed();
  }

  /**
   * Load (or reload) every list; a list that fails keeps its last value.
   */
  async load(): Promise<void> {
    const model = this._model;
    if (!model.inRepo) {
      return;
    }
    const generation = this._generation;
    const path = model.path;
    const [branches, tags, stashes, remotes] = await Promise.allSettled([
      model.api.branches(path),
      model.api.tags(path),
      model.api.stashes(path),
      model.api.remotes(path)
    ]);
    if (generation !== this._generation) {
      return;
    }
    this._error = null;
    const take = <T>(result: PromiseSettledResult<T>, keep: T): T => {
      if (result.status === 'fulfilled') {
        return result.value;
      }
      this._error = toRequestError(result.reason);
      return keep;
    };
    this._branches = take(branches, this._branches);
    this._tags = take(tags, { tags: this._tags ?? [] }).tags;
    this._stashes = take(stashes, { stashes: this._stashes ?? [] }).stashes;
    this._remotes = take(remotes, { remotes: this._remotes ?? [] }).remotes;
    this._loaded = true;
    model._changed();
  }

  /**
   * The remote's URL (masked by the server), if loaded.
   */
  remoteUrl(name: string | null): string | null {
    return this._remotes?.find(r => r.name === name)?.url ?? null;
  }

  createBranch(name: string, switchTo = true, start?: string): Promise<void> {
    return this._do(`#branch:${name}`, api =>
      api.createBranch(this._model.path, name, {
        switch: switchTo,
        ...(start ? { start } : {})
      })
    );
  }

  switchBranch(branch: string): Promise<void> {
    return this._do(`#switch:${branch}`, api =>
      api.switchBranch(this._model.path, branch)
    );
  }

  renameBranch(name: string, newName: string): Promise<void> {
    return this._do(`#rename:${name}`, api =>
      api.renameBranch(this._model.path, name, newName)
    );
  }

  deleteBranch(name: string, force = false): Promise<void> {
    return this._do(`#delete:${name}`, api =>
      api.deleteBranch(this._model.path, name, force)
    );
  }

  async merge(branch: string): Promise<IMergeResult> {
    let result: IMergeResult | null = null;
    await this._do(`#merge:${branch}`, async api => {
      result = await api.merge(this._model.path, branch);
    });
    return result!;
  }

  abortMerge(): Promise<void> {
    return this._do('#merge-abort', api => api.abortMerge(this._model.path));
  }

  createTag(name: string, rev?: string, message?: string): Promise<void> {
    return this._do(`#tag:${name}`, api =>
      api.createTag(this._model.path, name, {
        ...(rev ? { rev } : {}),
        ...(message ? { message } : {})
      })
    );
  }

  deleteTag(name: string): Promise<void> {
    return this._do(`#tag-delete:${name}`, api =>
      api.deleteTag(this._model.path, name)
    );
  }

  stash(message?: string, includeUntracked = true): Promise<void> {
    return this._do('#stash', api =>
      api.stash(this._model.path, {
        ...(message ? { message } : {}),
        include_untracked: includeUntracked
      })
    );
  }

  applyStash(index: number, pop = false): Promise<void> {
    return this._do(`#stash-apply:${index}`, api =>
      api.applyStash(this._model.path, index, pop)
    );
  }

  dropStash(index: number): Promise<void> {
    return this._do(`#stash-drop:${index}`, api =>
      api.dropStash(this._model.path, index)
    );
  }

  addRemote(name: string, url: string): Promise<void> {
    return this._do(`#remote:${name}`, api =>
      api.addRemote(this._model.path, name, url)
    );
  }

  removeRemote(name: string): Promise<void> {
    return this._do(`#remote-remove:${name}`, api =>
      api.removeRemote(this._model.path, name)
    );
  }

  /**
   * Run an action, then reload the lists, the status and (the branch may
   * have moved) the history.
   */
  private async _do(
    key: string,
    action: (api: GitModel['api']) => Promise<unknown>
  ): Promise<void> {
    const model = this._model;
    await model.act(key, async () => {
      try {
        await action(model.api);
      } finally {
        model.history.reset();
        await Promise.all([
          this.load().catch(() => undefined),
          model.refresh().catch(() => undefined)
        ]);
      }
    });
  }

  private _branches: IBranches | null = null;
  private _tags: ITag[] | null = null;
  private _stashes: IStash[] | null = null;
  private _remotes: IRemote[] | null = null;
  private _loaded = false;
  private _error: CloudscapesRequestError | null = null;
  private _generation = 0;
}
