import { orderPlots } from '../plots';
import { plot } from './fixture';

describe('dashboard plots', () => {
  it('lists task stream, progress and worker memory first, the others by title', () => {
    const plots = [
      plot('individual-workers', 'Workers'),
      plot('individual-workers-memory', 'Workers Memory'),
      plot('individual-graph', 'Graph'),
      plot('individual-progress', 'Progress'),
      plot('individual-cpu', 'CPU'),
      plot('individual-task-stream', 'Task Stream')
    ];
    expect(orderPlots(plots).map(p => p.title)).toEqual([
      'Task Stream',
      'Progress',
      'Workers Memory',
      'CPU',
      'Graph',
      'Workers'
    ]);
    // the server's list is left as it was
    expect(plots[0].title).toBe('Workers');
  });

  it('copes with dashboards that lack the usual plots', () => {
    expect(orderPlots([])).toEqual([]);
    expect(
      orderPlots([plot('b', 'Beta'), plot('a', 'Alpha')]).map(p => p.name)
    ).toEqual(['a', 'b']);
  });
});
