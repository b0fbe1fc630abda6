import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorBanner } from '../components';
import { Linkified, splitLinks } from '../linkify';
import { attached } from './render';

describe('splitLinks', () => {
  it('turns http(s) URLs into links and keeps the rest as text', () => {
    expect(
      splitLinks(
        'Accept the EULA at https://urs.earthdata.nasa.gov/approve_app?client_id=abc, then retry.'
      )
    ).toEqual([
      { kind: 'text', text: 'Accept the EULA at ' },
      {
        kind: 'link',
        text: 'https://urs.earthdata.nasa.gov/approve_app?client_id=abc',
        href: 'https://urs.earthdata.nasa.gov/approve_app?client_id=abc'
      },
      { kind: 'text', text: ', then retry.' }
    ]);
  });

  it('leaves trailing punctuation and unbalanced parentheses outside', () => {
    const parts = splitLinks('(see http://example.org/a_(b)).');
    expect(parts).toEqual([
      { kind: 'text', text: '(see ' },
      {
        kind: 'link',
        text: 'http://example.org/a_(b)',
        href: 'http://example.org/a_(b)'
      },
      { kind: 'text', text: ').' }
    ]);
  });

  it('links only http and https', () => {
    for (const text of [
      'javascript:alert(1)',
      'ftp://example.org/file',
      'data:text/html,<b>x</b>',
      'file:///etc/passwd',
      'mailto:someone@example.org'
    ]) {
      expect(splitLinks(`go to ${text} now`)).toEqual([
        { kind: 'text', text: `go to ${text} now` }
      ]);
    }
    expect(splitLinks('')).toEqual([]);
    expect(splitLinks('no links here')).toEqual([
      { kind: 'text', text: 'no links here' }
    ]);
  });
});

describe('Linkified', () => {
  it('renders links that open in a new tab, and escapes text', async () => {
    const widget = await attached(
      ReactWidget.create(
        <Linkified
          text={
            '<script>alert("x")</script> <img src=x onerror=alert(1)> see https://example.org/eula?a=1&b=2 "quoted"'
          }
        />
      )
    );
    const node = widget.node;
    expect(node.querySelector('script')).toBeNull();
    expect(node.querySelector('img')).toBeNull();
    const links = node.querySelectorAll('a');
    expect(links).toHaveLength(1);
    const link = links[0];
    expect(link.getAttribute('href')).toBe('https://example.org/eula?a=1&b=2');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(link.textContent).toBe('https://example.org/eula?a=1&b=2');
    expect(node.textContent).toContain('<script>alert("x")</script>');
    expect(node.innerHTML).toContain('&lt;script&gt;');
    widget.dispose();
  });
});

describe('ErrorBanner', () => {
  it('shows message and linked hint, prominently for a lockout warning', async () => {
    const widget = await attached(
      ReactWidget.create(
        <ErrorBanner
          code="edl_invalid_credentials"
          prominent
          message="Earthdata Login refused the username or password."
          hint="Repeated failures lock your account for 10 minutes. Reset it at https://urs.earthdata.nasa.gov/reset_passwords/new."
        />
      )
    );
    const banner = widget.node.querySelector('.cs-ErrorBanner') as HTMLElement;
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.classList).toContain('cs-mod-prominent');
    const hint = banner.querySelector('.cs-ErrorBanner-hint') as HTMLElement;
    expect(hint.classList).toContain('cs-mod-prominent');
    expect(hint.textContent).toContain('lock your account for 10 minutes');
    expect(hint.querySelector('a')?.getAttribute('href')).toBe(
      'https://urs.earthdata.nasa.gov/reset_passwords/new'
    );
    widget.dispose();
  });

  it('is a plain banner for other codes', async () => {
    const widget = await attached(
      ReactWidget.create(
        <ErrorBanner code="edl_timeout" message="Timed out." hint="" />
      )
    );
    const banner = widget.node.querySelector('.cs-ErrorBanner') as HTMLElement;
    expect(banner.classList).not.toContain('cs-mod-prominent');
    expect(banner.querySelector('.cs-ErrorBanner-hint')).toBeNull();
    widget.dispose();
  });
});
