import {
  EMPTY_SELECTION,
  ListSelection,
  clickKey,
  retain,
  selectAll,
  selectOnly,
  selectRange,
  toggleKey
} from '../selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const keys = (s: { selected: ReadonlySet<string> }) => [...s.selected].sort();

describe('selection', () => {
  it('toggles and remembers the anchor', () => {
    let s = toggleKey(EMPTY_SELECTION, 'b');
    expect(keys(s)).toEqual(['b']);
    expect(s.anchor).toBe('b');
    s = toggleKey(s, 'b');
    expect(keys(s)).toEqual([]);
    expect(EMPTY_SELECTION.selected.size).toBe(0); // immutable
  });

  it('selects a range from the anchor with shift, in both directions', () => {
    let s = clickKey(EMPTY_SELECTION, order, 'b', false);
    s = clickKey(s, order, 'd', true);
    expect(keys(s)).toEqual(['b', 'c', 'd']);
    expect(s.anchor).toBe('b');
    s = clickKey(s, order, 'a', true);
    expect(keys(s)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps what was selected outside the range', () => {
    let s = toggleKey(EMPTY_SELECTION, 'e');
    s = toggleKey(s, 'a');
    s = selectRange(s, order, 'b');
    expect(keys(s)).toEqual(['a', 'b', 'e']);
  });

  it('toggles when there is no anchor or the key is unknown', () => {
    expect(keys(selectRange(EMPTY_SELECTION, order, 'c'))).toEqual(['c']);
    expect(selectRange(EMPTY_SELECTION, order, 'zzz')).toBe(EMPTY_SELECTION);
  });

  it('selects all, one, and keeps only loaded keys', () => {
    expect(keys(selectAll(order))).toEqual(order);
    expect(keys(selectOnly('c'))).toEqual(['c']);
    const s = retain(selectAll(order), ['a', 'z']);
    expect(keys(s)).toEqual(['a']);
    expect(s.anchor).toBe('a');
  });
});

describe('ListSelection', () => {
  it('selects against the list as it is at each call', () => {
    let order = ['a', 'b', 'c', 'd'];
    const selection = new ListSelection(() => order);
    selection.click('b', false);
    selection.click('d', true);
    expect(keys(selection.state)).toEqual(['b', 'c', 'd']);
    expect(selection.has('c')).toBe(true);
    // the list reloads without c: it is dropped, the rest stays
    order = ['a', 'b', 'd'];
    selection.retain();
    expect(keys(selection.state)).toEqual(['b', 'd']);
    selection.extend('a');
    expect(keys(selection.state)).toEqual(['a', 'b', 'd']);
  });

  it('selects one row for a menu unless it is selected, all, or none', () => {
    const selection = new ListSelection(() => order);
    selection.click('a', false);
    selection.click('b', false);
    selection.focus('b');
    expect(keys(selection.state)).toEqual(['a', 'b']);
    selection.focus('e');
    expect(keys(selection.state)).toEqual(['e']);
    selection.selectAll();
    expect(keys(selection.state)).toEqual(order);
    selection.clear();
    expect(selection.state).toBe(EMPTY_SELECTION);
  });
});
