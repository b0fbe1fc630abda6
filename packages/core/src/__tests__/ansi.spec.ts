import { stripAnsi } from '../ansi';

describe('stripAnsi', () => {
  it('drops colours and cursor escapes, keeping the text', () => {
    expect(stripAnsi('\x1b[1;31mERROR\x1b[0m: no such file')).toBe(
      'ERROR: no such file'
    );
    expect(stripAnsi('\x1b[2K\x1b[1Gdone')).toBe('done');
    // a hyperlink (OSC 8) keeps its visible text
    expect(stripAnsi('\x1b]8;;https://x.org\x07link\x1b]8;;\x07')).toBe('link');
    expect(stripAnsi('plain\ttext')).toBe('plain\ttext');
  });

  it('keeps what a progress bar left on the line after carriage returns', () => {
    expect(stripAnsi(' 10%|#   \r 50%|#####\r100%|##########\r')).toBe(
      '100%|##########'
    );
  });

  it('removes other control characters', () => {
    expect(stripAnsi('bell\x07 and\x00 nul')).toBe('bell and nul');
  });
});
