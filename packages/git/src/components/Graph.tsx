import * as React from 'react';

import type { IGraphRow } from '../graph';

/**
 * Lane width and the row's height, in pixels.
 */
export const LANE = 12;

/**
 * The graph cell of one history row: the lanes passing by, the lines into
 * and out of the commit's node, the node. Colours are the theme's (`--jp-*`
 * variables through the stylesheet), one per lane modulo four.
 */
export function Graph(props: {
  row: IGraphRow;
  height: number;
  /** Lanes drawn (the widest row of the page), so all rows align. */
  lanes: number;
  merge: boolean;
}): JSX.Element {
  const { row, height } = props;
  const width = Math.max(1, props.lanes) * LANE;
  const x = (lane: number) => lane * LANE + LANE / 2;
  const mid = height / 2;
  const lane = (i: number) => `cs-Git-lane cs-mod-lane${i % 4}`;
  return (
    <svg
      className="cs-Git-graph"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      aria-hidden="true"
      focusable="false"
    >
      {row.top.map(t => (
        <line
          key={`t${t.lane}`}
          className={lane(t.into ? row.lane : t.lane)}
          x1={x(t.lane)}
          y1={0}
          x2={t.into ? x(row.lane) : x(t.lane)}
          y2={mid}
        />
      ))}
      {row.bottom.map(b => (
        <line
          key={`b${b.lane}`}
          className={lane(b.lane)}
          x1={b.from ? x(row.lane) : x(b.lane)}
          y1={mid}
          x2={x(b.lane)}
          y2={height}
        />
      ))}
      <circle
        className={`cs-Git-node ${lane(row.lane)}${props.merge ? ' cs-mod-merge' : ''}`}
        cx={x(row.lane)}
        cy={mid}
        r={props.merge ? 3 : 4}
      />
    </svg>
  );
}
