import { MainAreaWidget } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { formatBytes } from '@cloudscapes/core';

import { testApp } from '../../../core/src/__tests__/app';
import { settle } from '../../../core/src/__tests__/render';
import {
  DiffView,
  ImageDiff,
  TextDiff,
  gitRequests,
  imageDataUrl,
  openDiff,
  sideBySide
} from '../diff';
import type { IDiffAnswer, IDiffHunk, ICellDiff } from '../diff';
import { mount, serveGit, status, until } from './diffServer';

const trans = nullTranslator.load('cloudscapes');
const HOSTILE = '<img src=x onerror=alert(1)>';

afterEach(() => {
  jest.restoreAllMocks();
  document.body.innerHTML = '';
});

function hunk(): IDiffHunk {
  return {
    header: '@@ -1,4 +1,4 @@ def area(r):',
    old_start: 1,
    old_lines: 4,
    new_start: 1,
    new_lines: 4,
    lines: [
      { kind: 'context', text: 'import math', old: 1, new: 1 },
      { kind: 'del', text: 'r = 1', old: 2, new: null },
      { kind: 'del', text: 'print(r)', old: 3, new: null },
      { kind: 'add', text: 'r = 2', old: null, new: 2 },
      { kind: 'context', text: 'area = math.pi * r ** 2', old: 4, new: 3 },
      { kind: 'add', text: 'print(area)', old: null, new: 4, no_eol: true }
    ]
  };
}

function textDiff(overrides: Partial<IDiffAnswer> = {}): IDiffAnswer {
  return {
    file: 'analysis/area.py',
    orig_file: null,
    kind: 'text',
    hunks: [hunk()],
    notebook: null,
    image: null,
    old_size: 40,
    new_size: 52,
    ...overrides
  };
}

/** The rows of the table as [oldNo, oldText, newNo, newText]. */
function rows(node: HTMLElement): string[][] {
  return Array.from(node.querySelectorAll('tr.cs-GitDiff-row')).map(tr =>
    Array.from(tr.querySelectorAll('td')).map(
      td =>
        (td.querySelector('.cs-GitDiff-text')?.textContent ?? td.textContent) ||
        ''
    )
  );
}

describe('sideBySide', () => {
  it('pairs each removed line with the added line that replaces it', () => {
    const laid = sideBySide(hunk()).map(row => [
      row.left?.number ?? null,
      row.left?.kind ?? null,
      row.right?.number ?? null,
      row.right?.kind ?? null
    ]);
    expect(laid).toEqual([
      [1, 'context', 1, 'context'],
      [2, 'del', 2, 'add'],
      [3, 'del', null, null],
      [4, 'context', 3, 'context'],
      [null, null, 4, 'add']
    ]);
  });
});

describe('DiffView (text)', () => {
  it('shows the hunks in two columns with the old and new line numbers', async () => {
    const { seen } = serveGit({ 'GET diff': [textDiff()] });
    const { node } = await mount(
      <DiffView
        api={gitRequests()}
        args={{
          path: 'work',
          file: 'analysis/area.py',
          from: 'HEAD',
          to: 'WORKTREE'
        }}
        trans={trans}
      />
    );
    await until(() => !!node.querySelector('tr.cs-GitDiff-row'), 'the rows');
    expect(seen[0].params).toMatchObject({
      path: 'work',
      file: 'analysis/area.py',
      from: 'HEAD',
      to: 'WORKTREE'
    });
    // not a poll: a diff the user asked for counts as activity
    expect(seen[0].params.no_track_activity).toBeUndefined();
    expect(node.querySelector('.cs-GitDiff-hunkHeader')!.textContent).toBe(
      '@@ -1,4 +1,4 @@ def area(r):'
    );
    const sides = Array.from(node.querySelectorAll('.cs-GitDiff-sides th')).map(
      th => th.textContent
    );
    expect(sides).toEqual(['Last commit', 'Working copy']);
    expect(rows(node)).toEqual([
      ['1', 'import math', '1', 'import math'],
      ['2', 'r = 1', '2', 'r = 2'],
      ['3', 'print(r)', '', ''],
      ['4', 'area = math.pi * r ** 2', '3', 'area = math.pi * r ** 2'],
      ['', '', '4', 'print(area)']
    ]);
    const second = node.querySelectorAll('tr.cs-GitDiff-row')[1];
    const cells = second.querySelectorAll('td.cs-GitDiff-code');
    expect(cells[0].classList).toContain('cs-mod-del');
    expect(cells[1].classList).toContain('cs-mod-add');
    // a screen reader hears which line was removed and which added
    expect(cells[0].textContent).toBe('removed: r = 1');
    expect(node.querySelector('.cs-GitDiff-stats')!.textContent).toBe('+2 −2');
    const noEol = node.querySelectorAll('.cs-GitDiff-noEol');
    expect(noEol).toHaveLength(1);
    expect(noEol[0].closest('td')!.getAttribute('data-side')).toBe('new');
    expect(node.querySelector('.cs-GitDiff-range')!.textContent).toBe(
      'All changes since the last commit'
    );
  });

  it('renders a hostile file name and diff line as text, never as HTML', async () => {
    serveGit({
      'GET diff': [
        textDiff({
          file: HOSTILE,
          hunks: [
            {
              ...hunk(),
              header: `@@ -1 +1 @@ ${HOSTILE}`,
              lines: [
                { kind: 'del', text: HOSTILE, old: 1, new: null },
                {
                  kind: 'add',
                  text: `<script>alert(2)</script>`,
                  old: null,
                  new: 1
                }
              ]
            }
          ]
        })
      ]
    });
    const { node } = await mount(
      <DiffView
        api={gitRequests()}
        args={{ path: '', file: HOSTILE }}
        trans={trans}
      />
    );
    await until(() => !!node.querySelector('tr.cs-GitDiff-row'), 'the rows');
    expect(node.querySelector('img')).toBeNull();
    expect(node.querySelector('script')).toBeNull();
    expect(node.querySelector('.cs-GitDiff-file')!.textContent).toBe(HOSTILE);
    expect(rows(node)[0]).toEqual([
      '1',
      HOSTILE,
      '1',
      '<script>alert(2)</script>'
    ]);
    expect(node.textContent).toContain(`@@ -1 +1 @@ ${HOSTILE}`);
  });

  it('shows the server message and hint when the diff fails, and tries again', async () => {
    serveGit({
      'GET diff': [
        status(404, {
          error: {
            code: 'not_found',
            message: 'There is no file gone.py in the last commit.',
            hint: 'Pick a file from the list of changes.'
          }
        }),
        textDiff()
      ]
    });
    const { node } = await mount(
      <DiffView
        api={gitRequests()}
        args={{ path: '', file: 'gone.py' }}
        trans={trans}
      />
    );
    await until(() => !!node.querySelector('.cs-ErrorBanner'), 'the error');
    expect(node.textContent).toContain(
      'There is no file gone.py in the last commit.'
    );
    expect(node.textContent).toContain('Pick a file from the list of changes.');
    (node.querySelector('.cs-ErrorView-retry') as HTMLButtonElement).click();
    await until(() => !!node.querySelector('tr.cs-GitDiff-row'), 'the rows');
  });

  it('names binary and too large files instead of showing their bytes', async () => {
    serveGit({
      'GET diff': [
        textDiff({ kind: 'binary', hunks: [], old_size: 2048, new_size: 4096 }),
        textDiff({
          kind: 'too_large',
          hunks: [],
          old_size: null,
          new_size: 50e6
        })
      ]
    });
    const first = await mount(
      <DiffView
        api={gitRequests()}
        args={{ path: '', file: 'data.bin' }}
        trans={trans}
      />
    );
    await until(() => !!first.$('.cs-EmptyState'), 'the binary notice');
    expect(first.node.textContent).toContain('This is a binary file');
    expect(first.node.textContent).toContain(
      `Sizes — Staged: ${formatBytes(2048)}, Working copy: ${formatBytes(4096)}.`
    );
    const second = await mount(
      <DiffView
        api={gitRequests()}
        args={{ path: '', file: 'big.csv' }}
        trans={trans}
      />
    );
    await until(() => !!second.$('.cs-EmptyState'), 'the too-large notice');
    expect(second.node.textContent).toContain('too large');
    expect(second.$('table')).toBeNull();
  });
});

describe('TextDiff cap', () => {
  it('shows the first rows of a long diff and more on request', async () => {
    const lines = Array.from({ length: 250 }, (_, i) => ({
      kind: 'add' as const,
      text: `line ${i + 1}`,
      old: null,
      new: i + 1
    }));
    const { node, $ } = await mount(
      <TextDiff
        hunks={[{ ...hunk(), lines }]}
        trans={trans}
        oldLabel="Staged"
        newLabel="Working copy"
        label="diff"
        rowLimit={100}
      />
    );
    expect(node.querySelectorAll('tr.cs-GitDiff-row')).toHaveLength(100);
    expect($('.cs-GitDiff-more')!.textContent).toContain(
      '150 more lines not shown.'
    );
    const [more, all] = Array.from(
      node.querySelectorAll<HTMLButtonElement>('.cs-GitDiff-more button')
    );
    expect(more.textContent).toBe('Show 100 more');
    more.click();
    await settle();
    expect(node.querySelectorAll('tr.cs-GitDiff-row')).toHaveLength(200);
    all.click();
    await settle();
    expect(node.querySelectorAll('tr.cs-GitDiff-row')).toHaveLength(250);
    expect($('.cs-GitDiff-more')).toBeNull();
  });
});

describe('DiffView (notebook)', () => {
  const cell = (overrides: Partial<ICellDiff>): ICellDiff => ({
    status: 'unchanged',
    cell_type: 'code',
    old_source: 'x = 1',
    new_source: 'x = 1',
    hunks: [],
    outputs_changed: false,
    metadata_changed: false,
    ...overrides
  });

  it('shows the modified cell side by side and collapses the unchanged ones', async () => {
    serveGit({
      'GET diff': [
        textDiff({
          file: 'tutorial.ipynb',
          kind: 'notebook',
          hunks: [],
          notebook: {
            metadata_changed: false,
            cells: [
              cell({
                cell_type: 'markdown',
                old_source: '# Title',
                new_source: '# Title'
              }),
              cell({
                old_source: 'import xarray as xr',
                new_source: 'import xarray as xr'
              }),
              cell({
                status: 'modified',
                old_source: 'ds = xr.open_dataset("a.nc")',
                new_source: 'ds = xr.open_dataset("b.nc")',
                outputs_changed: true,
                hunks: [
                  {
                    header: '@@ -1 +1 @@',
                    old_start: 1,
                    old_lines: 1,
                    new_start: 1,
                    new_lines: 1,
                    lines: [
                      {
                        kind: 'del',
                        text: 'ds = xr.open_dataset("a.nc")',
                        old: 1,
                        new: null
                      },
                      {
                        kind: 'add',
                        text: 'ds = xr.open_dataset("b.nc")',
                        old: null,
                        new: 1
                      }
                    ]
                  }
                ]
              }),
              cell({ old_source: 'ds.plot()', new_source: 'ds.plot()' })
            ]
          }
        })
      ]
    });
    const { node } = await mount(
      <DiffView
        api={gitRequests()}
        args={{ path: '', file: 'tutorial.ipynb' }}
        trans={trans}
      />
    );
    await until(
      () => !!node.querySelector('.cs-GitNbDiff'),
      'the notebook diff'
    );
    const modified = node.querySelectorAll('.cs-GitNbDiff-cell');
    expect(modified).toHaveLength(1);
    expect(modified[0].getAttribute('data-status')).toBe('modified');
    expect(
      modified[0].querySelector('.cs-GitNbDiff-cellTitle')!.textContent
    ).toBe('Cell 3 (code), modified');
    expect(rows(modified[0] as HTMLElement)).toEqual([
      ['1', 'ds = xr.open_dataset("a.nc")', '1', 'ds = xr.open_dataset("b.nc")']
    ]);
    expect(modified[0].textContent).toContain('Outputs changed (not shown).');
    const collapsed = Array.from(
      node.querySelectorAll('.cs-GitNbDiff-unchanged')
    );
    expect(collapsed.map(c => c.getAttribute('data-count'))).toEqual([
      '2',
      '1'
    ]);
    expect(collapsed[0].textContent).toBe('▸2 unchanged cells (cells 1–2)');
    // collapsed: their sources are not in the page until asked for
    expect(node.textContent).not.toContain('import xarray as xr');
    // never the notebook's JSON
    expect(node.textContent).not.toContain('"cell_type"');
    const toggle = collapsed[0].querySelector('button')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.click();
    await settle();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(collapsed[0].textContent).toContain('import xarray as xr');
    expect(node.querySelector('.cs-GitNbDiff-summary')!.textContent).toBe(
      '1 cell changed out of 4.'
    );
  });

  it('marks added and removed cells with all their lines', async () => {
    serveGit({
      'GET diff': [
        textDiff({
          kind: 'notebook',
          hunks: [],
          notebook: {
            metadata_changed: true,
            cells: [
              cell({
                status: 'removed',
                old_source: 'old = 1\nold = 2',
                new_source: null
              }),
              cell({ status: 'added', old_source: null, new_source: 'new = 3' })
            ]
          }
        })
      ]
    });
    const { node } = await mount(
      <DiffView
        api={gitRequests()}
        args={{ path: '', file: 'n.ipynb' }}
        trans={trans}
      />
    );
    await until(() => !!node.querySelector('.cs-GitNbDiff-cell'), 'the cells');
    const [removed, added] = Array.from(
      node.querySelectorAll<HTMLElement>('.cs-GitNbDiff-cell')
    );
    expect(removed.querySelector('h3')!.textContent).toBe(
      'Cell 1 (code), removed'
    );
    expect(rows(removed)).toEqual([
      ['1', 'old = 1', '', ''],
      ['2', 'old = 2', '', '']
    ]);
    expect(added.querySelector('h3')!.textContent).toBe('Cell 1 (code), added');
    expect(rows(added)).toEqual([['', '', '1', 'new = 3']]);
    expect(node.textContent).toContain('The notebook metadata changed.');
  });
});

describe('ImageDiff', () => {
  const PNG =
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

  it('shows both versions side by side, and swipes between them', async () => {
    const { node, $ } = await mount(
      <ImageDiff
        old={{ mime: 'image/png', data: PNG }}
        new={{ mime: 'image/png', data: PNG }}
        oldSize={70}
        newSize={70}
        oldLabel="Last commit"
        newLabel="Working copy"
        trans={trans}
      />
    );
    const images = node.querySelectorAll('img');
    expect(images).toHaveLength(2);
    expect(images[0].getAttribute('src')).toBe(`data:image/png;base64,${PNG}`);
    expect(images[0].getAttribute('alt')).toBe('Last commit version');
    const swipe = Array.from(node.querySelectorAll('button')).find(
      b => b.textContent === 'Swipe'
    )!;
    swipe.click();
    await settle();
    expect($('.cs-GitImgDiff')!.dataset.mode).toBe('swipe');
    expect($('input[type="range"]')!.getAttribute('aria-label')).toBe(
      'Swipe between the two versions'
    );
  });

  it('makes no data URL of a type that is not an image', () => {
    expect(
      imageDataUrl({ mime: 'text/html', data: 'PHNjcmlwdD4=' })
    ).toBeNull();
    expect(imageDataUrl({ mime: 'image/png', data: '"><script>' })).toBeNull();
    expect(imageDataUrl({ mime: 'image/svg+xml', data: 'PHN2Zz4=' })).toBe(
      'data:image/svg+xml;base64,PHN2Zz4='
    );
  });
});

describe('openDiff', () => {
  it('opens one tab per file and comparison, and refreshes it when opened again', async () => {
    const { seen } = serveGit({ 'GET diff': [textDiff()] });
    const app = testApp();
    const deps = { api: gitRequests(), trans };
    const widget = openDiff(
      app,
      { path: 'work', file: 'analysis/area.py', from: 'HEAD', to: 'INDEX' },
      deps
    );
    expect(widget).toBeInstanceOf(MainAreaWidget);
    expect(app.added).toHaveLength(1);
    expect(app.added[0].area).toBe('main');
    expect(widget.title.label).toBe('area.py (diff)');
    expect(widget.title.caption).toBe('analysis/area.py — Staged changes');
    const again = openDiff(
      app,
      { path: 'work', file: 'analysis/area.py', from: 'HEAD', to: 'INDEX' },
      deps
    );
    expect(again).toBe(widget);
    expect(app.added).toHaveLength(1);
    expect(app.activated).toEqual([widget.id, widget.id]);
    const other = openDiff(
      app,
      { path: 'work', file: 'analysis/area.py' },
      deps
    );
    expect(other).not.toBe(widget);
    expect(app.added).toHaveLength(2);
    expect(seen).toHaveLength(0); // nothing asked before the tab is shown
    widget.dispose();
    other.dispose();
  });
});
