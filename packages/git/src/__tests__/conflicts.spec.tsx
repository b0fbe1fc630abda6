import { Dialog } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { testApp } from '../../../core/src/__tests__/app';
import { settle } from '../../../core/src/__tests__/render';
import { ConflictView, hasConflictMarkers, openConflict } from '../conflicts';
import type { IConflict } from '../conflicts';
import { gitRequests } from '../diff';
import {
  dialogButton,
  mount,
  openDialog,
  serveGit,
  type,
  until
} from './diffServer';

const trans = nullTranslator.load('cloudscapes');
const HOSTILE = '<img src=x onerror=alert(1)>';

afterEach(() => {
  Dialog.flush();
  jest.restoreAllMocks();
  document.body.innerHTML = '';
});

function conflict(overrides: Partial<IConflict> = {}): IConflict {
  return {
    file: 'notes.md',
    binary: false,
    base: 'title\nold line\n',
    ours: 'title\nmy line\n',
    theirs: 'title\ntheir line\n',
    merged:
      'title\n<<<<<<< HEAD\nmy line\n=======\ntheir line\n>>>>>>> upstream/main\n',
    ours_label: 'HEAD',
    theirs_label: 'upstream/main',
    explanation:
      'You and the tutorial both changed line 2 of notes.md. Choose which version to keep.',
    ...overrides
  };
}

describe('ConflictView', () => {
  it('shows the three versions and the explanation, and resolves with the edited result', async () => {
    const onResolved = jest.fn();
    const { seen } = serveGit({
      'GET conflict': [conflict()],
      'POST resolve': () => ({
        counts: { staged: 1, changed: 0, untracked: 0, conflicted: 1 },
        remaining: ['other.py']
      })
    });
    const onOpen = jest.fn();
    const { node, $, $$ } = await mount(
      <ConflictView
        api={gitRequests()}
        trans={trans}
        args={{ path: 'tutorial', file: 'notes.md' }}
        onResolved={onResolved}
        onOpen={onOpen}
      />
    );
    await until(() => !!$('.cs-GitConflict-versions'), 'the view');
    expect(seen[0].params).toMatchObject({
      path: 'tutorial',
      file: 'notes.md'
    });
    expect($('.cs-GitConflict-explanation')!.textContent).toBe(
      'You and the tutorial both changed line 2 of notes.md. Choose which version to keep.'
    );
    const titles = $$('.cs-GitConflict-versionTitle').map(h => h.textContent);
    expect(titles).toEqual([
      'Yours (HEAD)',
      'Common ancestor',
      'Theirs (upstream/main)'
    ]);
    const sources = $$('.cs-GitConflict-source').map(p => p.textContent);
    expect(sources).toEqual([
      'title\nmy line\n',
      'title\nold line\n',
      'title\ntheir line\n'
    ]);
    const editor = $<HTMLTextAreaElement>('textarea')!;
    expect(editor.value).toContain('<<<<<<< HEAD');

    $<HTMLButtonElement>('.cs-GitConflict-takeTheirs')!.click();
    await settle();
    expect(editor.value).toBe('title\ntheir line\n');
    type(editor, 'title\nmy line and their line\n');
    $<HTMLButtonElement>('.cs-GitConflict-resolve')!.click();
    await until(() => !!$('.cs-GitConflict-done'), 'resolved');
    const post = seen.find(r => r.method === 'POST')!;
    expect(post.route).toBe('resolve');
    expect(post.body).toEqual({
      path: 'tutorial',
      file: 'notes.md',
      content: 'title\nmy line and their line\n'
    });
    expect(onResolved).toHaveBeenCalledWith({
      counts: { staged: 1, changed: 0, untracked: 0, conflicted: 1 },
      remaining: ['other.py']
    });
    expect($('.cs-GitConflict-done')!.textContent).toContain(
      '1 file is still in conflict'
    );
    $<HTMLButtonElement>('.cs-GitConflict-next')!.click();
    expect(onOpen).toHaveBeenCalledWith('other.py');
    expect(node.querySelector('img')).toBeNull();
  });

  it('asks before marking a result that still has conflict markers', async () => {
    const { seen } = serveGit({
      'GET conflict': [conflict()],
      'POST resolve': () => ({
        counts: { staged: 1, changed: 0, untracked: 0, conflicted: 0 },
        remaining: []
      })
    });
    const { $ } = await mount(
      <ConflictView
        api={gitRequests()}
        trans={trans}
        args={{ path: '', file: 'notes.md' }}
      />
    );
    await until(() => !!$('textarea'), 'the view');
    $<HTMLButtonElement>('.cs-GitConflict-resolve')!.click();
    await until(() => !!openDialog(), 'the warning');
    expect(openDialog()!.textContent).toContain(
      'Conflict markers are still there'
    );
    dialogButton('Cancel').click();
    await settle();
    expect(seen.filter(r => r.method === 'POST')).toHaveLength(0);
    $<HTMLButtonElement>('.cs-GitConflict-takeOurs')!.click();
    await settle();
    $<HTMLButtonElement>('.cs-GitConflict-resolve')!.click();
    await until(() => !!$('.cs-GitConflict-done'), 'resolved');
    expect(seen.find(r => r.method === 'POST')!.body.content).toBe(
      'title\nmy line\n'
    );
    expect($('.cs-GitConflict-done')!.textContent).toContain(
      'No conflict is left'
    );
  });

  it('takes a side on the server for a binary file', async () => {
    const { seen } = serveGit({
      'GET conflict': [
        conflict({
          file: 'plot.png',
          binary: true,
          base: null,
          ours: null,
          theirs: null,
          merged: ''
        })
      ],
      'POST resolve': () => ({
        counts: { staged: 1, changed: 0, untracked: 0, conflicted: 0 },
        remaining: []
      })
    });
    const { $ } = await mount(
      <ConflictView
        api={gitRequests()}
        trans={trans}
        args={{ path: '', file: 'plot.png' }}
      />
    );
    await until(() => !!$('.cs-GitConflict-versions'), 'the view');
    expect($('textarea')).toBeNull();
    expect($('.cs-GitConflict-resolve')).toBeNull();
    $<HTMLButtonElement>('.cs-GitConflict-takeTheirs')!.click();
    await until(() => !!openDialog(), 'the confirmation');
    dialogButton('Keep it').click();
    await until(() => !!$('.cs-GitConflict-done'), 'resolved');
    expect(seen.find(r => r.method === 'POST')!.body).toEqual({
      path: '',
      file: 'plot.png',
      take: 'theirs'
    });
  });

  it('renders hostile file names and text as text', async () => {
    serveGit({
      'GET conflict': [
        conflict({
          file: HOSTILE,
          ours: HOSTILE,
          merged: HOSTILE,
          explanation: HOSTILE
        })
      ]
    });
    const { node, $ } = await mount(
      <ConflictView
        api={gitRequests()}
        trans={trans}
        args={{ path: '', file: HOSTILE }}
      />
    );
    await until(() => !!$('.cs-GitConflict-versions'), 'the view');
    expect(node.querySelector('img')).toBeNull();
    expect($('.cs-GitConflict-file')!.textContent).toBe(HOSTILE);
    expect($('.cs-GitConflict-explanation')!.textContent).toBe(HOSTILE);
  });

  it('spots conflict markers', () => {
    expect(hasConflictMarkers('a\n<<<<<<< HEAD\nb\n')).toBe(true);
    expect(hasConflictMarkers('a\n=======\n')).toBe(true);
    expect(hasConflictMarkers('a <<<<<<< b\n==== title\n')).toBe(false);
  });
});

describe('openConflict', () => {
  it('opens one tab per conflicted file', () => {
    serveGit({});
    const app = testApp();
    const deps = { api: gitRequests(), trans };
    const first = openConflict(app, { path: '', file: 'a/notes.md' }, deps);
    expect(first.title.label).toBe('notes.md (conflict)');
    expect(openConflict(app, { path: '', file: 'a/notes.md' }, deps)).toBe(
      first
    );
    expect(app.added).toHaveLength(1);
    first.dispose();
  });
});
