import {
  breadcrumbs,
  httpsUrl,
  listingPrefix,
  normalizeFolder,
  parentPrefix,
  parseS3Url,
  relativeName,
  s3Url
} from '../s3path';

describe('S3 paths', () => {
  it('builds the breadcrumb of a prefix', () => {
    expect(breadcrumbs('a/b/c/', 'bucket')).toEqual([
      { label: 'bucket', prefix: '' },
      { label: 'a', prefix: 'a/' },
      { label: 'b', prefix: 'a/b/' },
      { label: 'c', prefix: 'a/b/c/' }
    ]);
    expect(breadcrumbs('', 'bucket')).toEqual([
      { label: 'bucket', prefix: '' }
    ]);
  });

  it('starts the breadcrumb at the source prefix', () => {
    expect(breadcrumbs('home/alice/run1/', 'scratch', 'home/alice/')).toEqual([
      { label: 'scratch', prefix: 'home/alice/' },
      { label: 'run1', prefix: 'home/alice/run1/' }
    ]);
    // outside the source prefix: from the bucket's top
    expect(breadcrumbs('other/', 'scratch', 'home/alice/')).toEqual([
      { label: 'scratch', prefix: '' },
      { label: 'other', prefix: 'other/' }
    ]);
  });

  it('finds the parent folder', () => {
    expect(parentPrefix('a/b/')).toBe('a/');
    expect(parentPrefix('a/')).toBe('');
    expect(parentPrefix('')).toBe('');
    expect(parentPrefix('a/b')).toBe('a/');
  });

  it('normalizes folders', () => {
    expect(normalizeFolder('/a//b')).toBe('a/b/');
    expect(normalizeFolder('a/')).toBe('a/');
    expect(normalizeFolder('')).toBe('');
  });

  it('narrows the server prefix with the filter (no client filtering)', () => {
    expect(listingPrefix('ABI-L2/2024/', '24')).toBe('ABI-L2/2024/24');
    expect(listingPrefix('ABI-L2/', '/x')).toBe('ABI-L2/x');
    expect(listingPrefix('', '')).toBe('');
  });

  it('makes URLs', () => {
    expect(s3Url('b', 'a/x y.nc')).toBe('s3://b/a/x y.nc');
    expect(httpsUrl('b', 'a/x y.nc')).toBe(
      'https://b.s3.amazonaws.com/a/x%20y.nc'
    );
    expect(relativeName('a/b/c.nc', 'a/')).toBe('b/c.nc');
    expect(parseS3Url('s3://my-bucket/a/b/')).toEqual({
      bucket: 'my-bucket',
      prefix: 'a/b/'
    });
    expect(parseS3Url('my-bucket')).toEqual({
      bucket: 'my-bucket',
      prefix: ''
    });
    expect(parseS3Url('s3://')).toBeNull();
  });
});
