/**
 * What the map shows in words, as DOM nodes built from text. Leaflet puts a
 * *string* tooltip, popup or attribution in place with `innerHTML`, so a
 * granule title from a provider's metadata (or an admin's attribution) would
 * be parsed as markup and could run script in the page. Every string the map
 * shows goes through here instead and becomes `textContent`.
 */
import { safeUrl } from '@cloudscapes/core';

/**
 * An element whose lines are the given texts (never parsed as HTML): one
 * `div` a line, the first with `cs-DataMap-tipTitle`, the others
 * `cs-DataMap-tipNote`.
 */
export function textElement(
  lines: ReadonlyArray<string | null | undefined>,
  className = 'cs-DataMap-tip'
): HTMLElement {
  const node = document.createElement('div');
  node.className = className;
  let first = true;
  for (const line of lines) {
    if (!line) {
      continue;
    }
    const part = document.createElement('div');
    part.className = first ? 'cs-DataMap-tipTitle' : 'cs-DataMap-tipNote';
    part.textContent = line;
    node.appendChild(part);
    first = false;
  }
  return node;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  trade: '™',
  middot: '·',
  ndash: '–',
  mdash: '—'
};

/**
 * The character references tile providers use in attributions (`&copy;`,
 * `&amp;`, `&#169;`, `&#xA9;`) as the characters; unknown ones stay as written.
 */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi,
    (whole, name: string) => {
      if (name.startsWith('#')) {
        const hex = name[1] === 'x' || name[1] === 'X';
        const code = parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
        return code > 0 &&
          code <= 0x10ffff &&
          !(code >= 0xd800 && code < 0xe000)
          ? String.fromCodePoint(code)
          : whole;
      }
      return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    }
  );
}

const LINK = /<a\b([^<>]*)>([^<]*)<\/a\s*>/gi;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/i;

/**
 * An attribution as DOM nodes: the tile providers' usual form, text with
 * character references and `<a href="https://…">text</a>` links, keeps its
 * links (http(s) only, opening in a new tab); any other markup shows as the
 * text it is, so nothing of the setting is ever parsed as HTML.
 */
export function attributionNodes(attribution: string): Node[] {
  const nodes: Node[] = [];
  const text = (value: string) => {
    if (value) {
      nodes.push(document.createTextNode(decodeEntities(value)));
    }
  };
  let index = 0;
  for (const match of attribution.matchAll(LINK)) {
    const start = match.index ?? 0;
    const href = HREF.exec(match[1]);
    const url = href
      ? safeUrl(decodeEntities(href[1] ?? href[2] ?? ''), { base: false })
      : null;
    if (!url) {
      continue; // shown as the text it is, with the rest
    }
    text(attribution.slice(index, start));
    const link = document.createElement('a');
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = decodeEntities(match[2]);
    nodes.push(link);
    index = start + match[0].length;
  }
  text(attribution.slice(index));
  return nodes;
}
