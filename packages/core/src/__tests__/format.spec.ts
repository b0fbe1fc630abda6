import { byteUnit, formatBytes, trimmedNumber } from '../format';

const GiB = 1024 ** 3;

describe('formatBytes', () => {
  it('writes SI sizes short by default', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(2.14e9)).toBe('2.1 GB');
    expect(formatBytes(8e9)).toBe('8 GB');
    expect(formatBytes(250e9)).toBe('250 GB');
  });

  it('writes binary sizes as Dask states memory', () => {
    expect(formatBytes(1023, { binary: true })).toBe('1023 B');
    expect(formatBytes(1536, { binary: true })).toBe('1.5 KiB');
    expect(formatBytes(7.45 * GiB, { binary: true })).toBe('7.5 GiB');
    expect(formatBytes(2 * 1024 * GiB, { binary: true })).toBe('2 TiB');
  });

  it('keeps two decimals under 10 in long form, for lists of sizes', () => {
    expect(formatBytes(512, { precision: 'long' })).toBe('512 B');
    expect(formatBytes(1200, { precision: 'long' })).toBe('1.20 kB');
    expect(formatBytes(12.5e6, { precision: 'long' })).toBe('12.5 MB');
    expect(formatBytes(123e9, { precision: 'long' })).toBe('123 GB');
  });

  it('writes nothing for a size that is not known', () => {
    expect(formatBytes(null)).toBe('');
    expect(formatBytes(undefined)).toBe('');
    expect(formatBytes(NaN)).toBe('');
  });

  it('picks the unit of a figure', () => {
    expect(byteUnit(2.1e9)).toEqual([1e9, 'GB']);
    expect(byteUnit(3 * GiB, true)).toEqual([GiB, 'GiB']);
    expect(trimmedNumber(8.04, 1)).toBe('8');
  });
});
