/**
 * The code cell "Insert Earthdata Login Cell" adds to a notebook. It never holds
 * a secret: HTTPS clients read ~/.netrc and S3 clients use the
 * `earthdata-<daac>` AWS profiles (credential_process), both written by the
 * server when the user signs in with "remember me".
 */

// A profile name goes into Python source: only plain names are accepted.
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * The Python source of the login cell. `profiles` are the AWS profiles that
 * exist (for example `["earthdata-nsidc"]`); the first valid one is used for the
 * S3 client, the others are named in a comment. Pure, so it is unit-tested.
 */
export function loginCellSource(profiles: string[]): string {
  const usable = profiles.filter(name => PROFILE_NAME.test(name));
  const lines = [
    '# Earthdata Login: credentials stored by the Cloudscapes Earthdata panel; no secrets here.'
  ];
  if (usable.length > 0) {
    lines.push(
      '# HTTPS (requests, GDAL, earthaccess) reads ~/.netrc; S3 in us-west-2 uses the AWS profiles below.',
      'import boto3',
      '',
      `s3 = boto3.Session(profile_name="${usable[0]}").client("s3")`
    );
    if (usable.length > 1) {
      lines.push(
        `# Other DAACs: boto3.Session(profile_name=...) with ${usable
          .slice(1)
          .map(name => `"${name}"`)
          .join(', ')}`
      );
    }
  } else {
    lines.push(
      '# HTTPS (requests, GDAL, earthaccess) reads ~/.netrc.',
      '# For direct S3 access in us-west-2, click "Set up AWS profiles" in the Earthdata panel,',
      '# then insert this cell again.'
    );
  }
  lines.push(
    'try:',
    '    import earthaccess',
    'except ImportError:',
    '    auth = None  # earthaccess is not installed in this kernel',
    'else:',
    '    auth = earthaccess.login(strategy="netrc")'
  );
  return lines.join('\n');
}
