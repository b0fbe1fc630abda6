import { graphRows } from '../graph';

describe('history graph', () => {
  it('draws a straight line for a linear history', () => {
    const { rows } = graphRows([
      { oid: 'c', parents: ['b'] },
      { oid: 'b', parents: ['a'] },
      { oid: 'a', parents: [] }
    ]);
    expect(rows.map(r => r.lane)).toEqual([0, 0, 0]);
    expect(rows[0].top).toEqual([]);
    expect(rows[1].top).toEqual([{ lane: 0, into: true }]);
    expect(rows[2].bottom).toEqual([]);
    expect(rows.every(r => r.width === 1)).toBe(true);
  });

  it('gives a merged branch its own lane, and joins it back', () => {
    // m merges f (feature) into the line of b
    const { rows, lanes } = graphRows([
      { oid: 'm', parents: ['b', 'f'] },
      { oid: 'f', parents: ['a'] },
      { oid: 'b', parents: ['a'] },
      { oid: 'a', parents: [] }
    ]);
    const [m, f, b, a] = rows;
    expect(m.lane).toBe(0);
    expect(m.bottom).toEqual([
      { lane: 0, from: true },
      { lane: 1, from: true }
    ]);
    expect(f.lane).toBe(1);
    // b passes by on lane 0 while f is drawn
    expect(f.top).toEqual([
      { lane: 0, into: false },
      { lane: 1, into: true }
    ]);
    expect(b.lane).toBe(0);
    // a: both lanes end in it
    expect(a.lane).toBe(0);
    expect(a.top).toEqual([
      { lane: 0, into: true },
      { lane: 1, into: true }
    ]);
    expect(lanes).toEqual([]);
  });

  it('continues the lanes of an earlier page', () => {
    const first = graphRows([{ oid: 'm', parents: ['b', 'f'] }]);
    const next = graphRows([{ oid: 'f', parents: ['a'] }], first.lanes);
    expect(next.rows[0].lane).toBe(1);
    expect(next.rows[0].top).toEqual([
      { lane: 0, into: false },
      { lane: 1, into: true }
    ]);
  });
});
