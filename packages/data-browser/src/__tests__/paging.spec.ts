import { CloudscapesRequestError } from '@cloudscapes/core';

import { IPage, PagedList } from '../paging';

interface IItem {
  id: string;
}

function pages(...answers: IPage<IItem>[]) {
  const fetch = jest.fn<
    Promise<IPage<IItem>>,
    [{ q: string }, string | null]
  >();
  for (const answer of answers) {
    fetch.mockResolvedValueOnce(answer);
  }
  return fetch;
}

const items = (...ids: string[]) => ids.map(id => ({ id }));

describe('PagedList', () => {
  it('sends the cursor back with the same filters and stops at null', async () => {
    const fetch = pages(
      { items: items('a', 'b'), cursor: 'c1', hits: 5 },
      { items: items('c', 'd'), cursor: 'c2', hits: 5 },
      { items: items('e'), cursor: null, hits: 5 }
    );
    const list = new PagedList(fetch, i => i.id);
    const filters = { q: 'ice' };
    await list.reset(filters);
    expect(fetch).toHaveBeenLastCalledWith(filters, null);
    expect(list.done).toBe(false);
    await list.loadMore();
    expect(fetch).toHaveBeenLastCalledWith(filters, 'c1');
    await list.loadMore();
    expect(fetch).toHaveBeenLastCalledWith(filters, 'c2');
    expect(list.done).toBe(true);
    expect(list.keys).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(list.hits).toBe(5);
    await list.loadMore();
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('stops at the hits even when the last page still carries a cursor', async () => {
    // real CMR sends CMR-Search-After on its last non-empty page
    const fetch = pages(
      { items: items('a', 'b'), cursor: 'c1', hits: 4 },
      { items: items('c', 'd'), cursor: 'c2', hits: 4 }
    );
    const list = new PagedList(fetch, i => i.id);
    await list.reset({ q: '' });
    expect(list.done).toBe(false);
    await list.loadMore();
    expect(list.done).toBe(true);
    await list.loadMore();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(list.keys).toEqual(['a', 'b', 'c', 'd']);
  });

  it('stops on the first page when it holds every hit', async () => {
    const fetch = pages({ items: items('a'), cursor: 'c1', hits: 1 });
    const list = new PagedList(fetch, i => i.id);
    await list.reset({ q: '' });
    expect(list.done).toBe(true);
    await list.loadMore();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('keeps paging by cursor when the server gives no hits', async () => {
    const fetch = pages(
      { items: items('a'), cursor: 'c1' },
      { items: items('b'), cursor: null }
    );
    const list = new PagedList(fetch, i => i.id);
    await list.reset({ q: '' });
    expect(list.done).toBe(false);
    await list.loadMore();
    expect(list.done).toBe(true);
  });

  it('does not append an item twice', async () => {
    const fetch = pages(
      { items: items('a', 'b'), cursor: 'c1' },
      { items: items('b', 'c'), cursor: null }
    );
    const list = new PagedList(fetch, i => i.id);
    await list.reset({ q: '' });
    await list.loadMore();
    expect(list.keys).toEqual(['a', 'b', 'c']);
  });

  it('treats a repeated cursor as the end instead of looping', async () => {
    const fetch = pages(
      { items: items('a'), cursor: 'same' },
      { items: items('b'), cursor: 'same' }
    );
    const list = new PagedList(fetch, i => i.id);
    await list.reset({ q: '' });
    await list.loadMore();
    expect(list.done).toBe(true);
  });

  it('loads one page at a time', async () => {
    let release: (page: IPage<IItem>) => void = () => undefined;
    const fetch = jest
      .fn()
      .mockResolvedValueOnce({ items: items('a'), cursor: 'c1' })
      .mockImplementationOnce(
        () => new Promise<IPage<IItem>>(resolve => (release = resolve))
      );
    const list = new PagedList<IItem, { q: string }>(fetch, i => i.id);
    await list.reset({ q: '' });
    const first = list.loadMore();
    void list.loadMore();
    expect(fetch).toHaveBeenCalledTimes(2);
    release({ items: items('b'), cursor: null });
    await first;
    expect(list.keys).toEqual(['a', 'b']);
  });

  it('drops the answer of a superseded search', async () => {
    let release: (page: IPage<IItem>) => void = () => undefined;
    const fetch = jest
      .fn()
      .mockImplementationOnce(
        () => new Promise<IPage<IItem>>(resolve => (release = resolve))
      )
      .mockResolvedValueOnce({ items: items('new'), cursor: null });
    const list = new PagedList<IItem, { q: string }>(fetch, i => i.id);
    const old = list.reset({ q: 'old' });
    await list.reset({ q: 'new' });
    release({ items: items('old'), cursor: 'x' });
    await old;
    expect(list.keys).toEqual(['new']);
    expect(list.filters).toEqual({ q: 'new' });
  });

  it('keeps the error of a failed page and retries the same cursor', async () => {
    const refused = new CloudscapesRequestError(
      429,
      'cmr_throttled',
      'NASA CMR is throttling requests.',
      'Wait 30 seconds, then scroll again.'
    );
    const fetch = jest
      .fn()
      .mockResolvedValueOnce({ items: items('a'), cursor: 'c1' })
      .mockRejectedValueOnce(refused)
      .mockResolvedValueOnce({ items: items('b'), cursor: null });
    const list = new PagedList<IItem, { q: string }>(fetch, i => i.id);
    await list.reset({ q: '' });
    await list.loadMore();
    expect(list.error?.hint).toBe('Wait 30 seconds, then scroll again.');
    // no request storm while the error is shown
    await list.loadMore();
    expect(fetch).toHaveBeenCalledTimes(2);
    await list.retry();
    expect(fetch).toHaveBeenLastCalledWith({ q: '' }, 'c1');
    expect(list.keys).toEqual(['a', 'b']);
    expect(list.error).toBeNull();
  });

  it('arranges items (S3: folders first)', async () => {
    const fetch = pages(
      { items: items('f1/', 'o1'), cursor: 'c' },
      { items: items('f2/', 'o2'), cursor: null }
    );
    const list = new PagedList(
      fetch,
      i => i.id,
      all => [
        ...all.filter(i => i.id.endsWith('/')),
        ...all.filter(i => !i.id.endsWith('/'))
      ]
    );
    await list.reset({ q: '' });
    await list.loadMore();
    expect(list.keys).toEqual(['f1/', 'f2/', 'o1', 'o2']);
  });
});
