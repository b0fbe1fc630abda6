import { clearOutputs, isNotebook } from '../notebook';
import { urlHost } from '../jobs';

describe('clearing notebook outputs', () => {
  it('clears outputs and execution counts of code cells only', () => {
    const nb = {
      nbformat: 4,
      cells: [
        { cell_type: 'markdown', source: '# Title' },
        {
          cell_type: 'code',
          source: 'plot()',
          execution_count: 3,
          outputs: [{ output_type: 'display_data', data: {} }]
        }
      ]
    };
    const cleared = clearOutputs(nb) as typeof nb;
    expect(cleared.cells[0]).toBe(nb.cells[0]);
    expect(cleared.cells[1]).toEqual({
      cell_type: 'code',
      source: 'plot()',
      execution_count: null,
      outputs: []
    });
    // the original is not changed; a clean notebook needs no save
    expect(nb.cells[1].outputs).toHaveLength(1);
    expect(clearOutputs(cleared)).toBeNull();
    expect(clearOutputs('not a notebook')).toBeNull();
    expect(isNotebook('a/B.IPYNB')).toBe(true);
  });
});

describe('remote hosts', () => {
  it('reads the host of https, ssh and scp-like URLs', () => {
    expect(urlHost('https://github.com/openscapes/tutorial.git')).toBe(
      'github.com'
    );
    expect(urlHost('https://user@127.0.0.1:8123/o/r.git')).toBe(
      '127.0.0.1:8123'
    );
    expect(urlHost('ssh://git@gitlab.example.org/x.git')).toBe(
      'gitlab.example.org'
    );
    expect(urlHost('git@github.com:owner/repo.git')).toBe('github.com');
    expect(urlHost('/home/jovyan/repo')).toBeNull();
    expect(urlHost(null)).toBeNull();
  });
});
