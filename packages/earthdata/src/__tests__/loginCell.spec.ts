import { loginCellSource } from '../loginCell';

const SECRET_WORDS = [
  /password/i,
  /token/i,
  /secret/i,
  /aws_access_key/i,
  /session_token/i,
  /Authorization/i
];

describe('loginCellSource', () => {
  it('uses the first profile for S3 and the netrc for HTTPS', () => {
    const source = loginCellSource(['earthdata-nsidc', 'earthdata-podaac']);
    const lines = source.split('\n');
    expect(lines[0]).toBe(
      '# Earthdata Login: credentials stored by the Cloudscapes Earthdata panel; no secrets here.'
    );
    expect(source).toContain('import boto3\n\n');
    expect(source).toContain(
      's3 = boto3.Session(profile_name="earthdata-nsidc").client("s3")'
    );
    expect(source).not.toContain('profile_name="earthdata-podaac"');
    expect(source).toContain('"earthdata-podaac"');
    expect(source).toContain('auth = earthaccess.login(strategy="netrc")');
    expect(source).toContain('except ImportError:');
  });

  it('is exactly the documented cell for one profile', () => {
    expect(loginCellSource(['earthdata-nsidc'])).toBe(
      [
        '# Earthdata Login: credentials stored by the Cloudscapes Earthdata panel; no secrets here.',
        '# HTTPS (requests, GDAL, earthaccess) reads ~/.netrc; S3 in us-west-2 uses the AWS profiles below.',
        'import boto3',
        '',
        's3 = boto3.Session(profile_name="earthdata-nsidc").client("s3")',
        'try:',
        '    import earthaccess',
        'except ImportError:',
        '    auth = None  # earthaccess is not installed in this kernel',
        'else:',
        '    auth = earthaccess.login(strategy="netrc")'
      ].join('\n')
    );
  });

  it('without profiles, logs in with earthaccess only and says how to get S3', () => {
    const source = loginCellSource([]);
    expect(source).not.toContain('boto3');
    expect(source).toContain('Set up AWS profiles');
    expect(source).toContain('import earthaccess');
    expect(source).toContain('auth = earthaccess.login(strategy="netrc")');
  });

  it('never holds a secret', () => {
    for (const profiles of [[], ['earthdata-nsidc'], ['a', 'b', 'c']]) {
      const source = loginCellSource(profiles);
      // code (comments aside) names no credential at all
      const code = source
        .split('\n')
        .map(line => line.replace(/#.*$/, ''))
        .join('\n');
      for (const word of SECRET_WORDS) {
        expect(code).not.toMatch(word);
      }
      // and no string literal long enough to be a key or a token
      for (const literal of source.match(/"[^"]*"/g) ?? []) {
        expect(literal.length).toBeLessThan(40);
      }
    }
  });

  it('skips profile names that could inject code', () => {
    const source = loginCellSource([
      'earthdata-x")\nimport os; os.system("id")  #',
      'bad name',
      'earthdata-podaac'
    ]);
    expect(source).toContain('profile_name="earthdata-podaac"');
    expect(source).not.toContain('import os');
    expect(source).not.toContain('bad name');
  });
});
