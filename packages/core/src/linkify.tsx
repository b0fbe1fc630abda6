/**
 * Server hints with links: a hint such as "accept the EULA at https://…" must be
 * clickable. Only http(s) URLs become links; everything else stays text (React
 * escapes it), so a hint can never inject markup or a `javascript:` link.
 */
import * as React from 'react';

import { safeUrl } from './url';

/**
 * A piece of a hint: plain text, or an http(s) link.
 */
export type HintPart =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence rather than the URL.
const TRAILING = /[.,;:!?'"\]}>]+$/;

function trimUrl(candidate: string): string {
  let url = candidate.replace(TRAILING, '');
  // A closing parenthesis belongs to the URL only when it has an opening one.
  while (url.endsWith(')')) {
    const opens = (url.match(/\(/g) ?? []).length;
    const closes = (url.match(/\)/g) ?? []).length;
    if (closes <= opens) {
      break;
    }
    url = url.slice(0, -1).replace(TRAILING, '');
  }
  return url;
}

/**
 * Split `text` into text and http(s) link parts (adjacent text is merged).
 */
export function splitLinks(text: string): HintPart[] {
  const parts: HintPart[] = [];
  const pushText = (value: string) => {
    if (!value) {
      return;
    }
    const last = parts[parts.length - 1];
    if (last && last.kind === 'text') {
      last.text += value;
    } else {
      parts.push({ kind: 'text', text: value });
    }
  };
  let index = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const url = trimUrl(match[0]);
    const href = safeUrl(url, { base: false });
    pushText(text.slice(index, start));
    if (href) {
      parts.push({ kind: 'link', text: url, href });
    } else {
      pushText(url);
    }
    index = start + url.length;
  }
  pushText(text.slice(index));
  return parts;
}

/**
 * Text whose http(s) URLs are links opening in a new tab.
 */
export function Linkified(props: { text: string }): JSX.Element {
  return (
    <>
      {splitLinks(props.text).map((part, i) =>
        part.kind === 'link' ? (
          <a
            key={i}
            className="cs-Link"
            href={part.href}
            target="_blank"
            rel="noopener noreferrer"
          >
            {part.text}
          </a>
        ) : (
          <React.Fragment key={i}>{part.text}</React.Fragment>
        )
      )}
    </>
  );
}
