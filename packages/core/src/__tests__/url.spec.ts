import { safeUrl } from '../url';

describe('safeUrl', () => {
  it('passes http(s) URLs, normalised', () => {
    expect(safeUrl('https://example.org/a b')).toBe(
      'https://example.org/a%20b'
    );
    expect(safeUrl('HTTP://Example.org:8787/status')).toBe(
      'http://example.org:8787/status'
    );
  });

  it('refuses script and other schemes, whatever their spelling', () => {
    for (const url of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '',
      null,
      undefined
    ]) {
      expect(
        safeUrl(url as string, { base: 'https://hub.example/' })
      ).toBeNull();
    }
  });

  it('resolves relative URLs against the page, or refuses them when asked', () => {
    expect(
      safeUrl('/user/me/proxy/8787/status', {
        base: 'https://hub.example/user/me/lab'
      })
    ).toBe('https://hub.example/user/me/proxy/8787/status');
    expect(safeUrl('proxy/8787/status', { base: false })).toBeNull();
    expect(safeUrl('//evil.example/x', { base: false })).toBeNull();
    expect(safeUrl('/status')).toBe(new URL('/status', document.baseURI).href);
  });
});
