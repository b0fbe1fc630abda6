import './leafletDom';

import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import MapView, { IMapFootprint, IMapViewProps } from '../map/MapView';
import { attributionNodes, decodeEntities } from '../map/text';
import { attached, settle } from './render';

const XSS = '<img src=x onerror="window.__xss=1">';

declare global {
  interface Window {
    __xss?: number;
  }
}

function footprint(overrides: Partial<IMapFootprint> = {}): IMapFootprint {
  return {
    key: 'G1',
    rings: [
      [
        [0, 0],
        [10, 0],
        [10, 10],
        [0, 10]
      ]
    ],
    selected: false,
    title: 'granule',
    ...overrides
  };
}

async function render(props: Partial<IMapViewProps>) {
  const full: IMapViewProps = {
    label: 'Map',
    tileUrl: '',
    tileAttribution: '',
    bbox: null,
    drawing: false,
    onBBox: () => undefined,
    footprints: [],
    ...props
  };
  const widget = await attached(ReactWidget.create(<MapView {...full} />));
  await settle();
  const $ = (selector: string) =>
    widget.node.querySelector(selector) as HTMLElement | null;
  /**
   * Hover a footprint (Leaflet's sticky tooltip opens on mouseover).
   */
  const hover = async (path: Element) => {
    path.dispatchEvent(
      new MouseEvent('mouseover', { bubbles: true, clientX: 5, clientY: 5 })
    );
    await settle();
    return $('.leaflet-tooltip');
  };
  return { widget, $, hover };
}

/**
 * Images that are not map tiles.
 */
function strayImages(root: ParentNode = document): Element[] {
  return Array.from(root.querySelectorAll('img')).filter(
    img => !img.classList.contains('leaflet-tile')
  );
}

describe('MapView: no server or admin string is parsed as HTML', () => {
  afterEach(() => {
    delete window.__xss;
    document.body.innerHTML = '';
  });

  it('a granule title with markup shows as text in its tooltip', async () => {
    const { widget, $, hover } = await render({
      footprints: [footprint({ title: XSS })]
    });
    const path = $('path.cs-DataMap-footprint');
    expect(path).not.toBeNull();
    const tooltip = await hover(path!);
    expect(tooltip).not.toBeNull();
    expect(tooltip!.textContent).toBe(XSS);
    expect(strayImages()).toHaveLength(0);
    expect(window.__xss).toBeUndefined();
    widget.dispose();
  });

  it('the tile attribution keeps its https links and shows other markup as text', async () => {
    const { widget, $ } = await render({
      tileUrl: 'https://tiles.example/{z}/{x}/{y}.png',
      tileAttribution: `${XSS} &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> <a href="javascript:window.__xss=1">click</a>`
    });
    const attribution = $('.cs-DataMap-attribution');
    expect(attribution).not.toBeNull();
    expect(attribution!.textContent).toBe(
      `${XSS} © OpenStreetMap <a href="javascript:window.__xss=1">click</a>`
    );
    const links = Array.from(attribution!.querySelectorAll('a'));
    expect(links.map(a => [a.textContent, a.getAttribute('href')])).toEqual([
      ['OpenStreetMap', 'https://www.openstreetmap.org/copyright']
    ]);
    expect(links[0].rel).toBe('noopener noreferrer');
    expect(strayImages()).toHaveLength(0);
    expect(document.querySelector('a[href^="javascript"]')).toBeNull();
    widget.dispose();
  });

  it('shows no attribution without tiles', async () => {
    const { widget, $ } = await render({ tileAttribution: 'Tiles © someone' });
    expect($('.cs-DataMap-attribution')!.hidden).toBe(true);
    expect($('.cs-DataMap-attribution')!.textContent).toBe('');
    widget.dispose();
  });

  it('draws an approximate footprint dashed, its note under the title', async () => {
    const note = `Approximate: orbit from 27.0° N to 59.5° N ${XSS}`;
    const { widget, $, hover } = await render({
      footprints: [
        footprint({ title: 'ATL06_20240101', approximate: true, note })
      ]
    });
    const path = $('path.cs-DataMap-footprint');
    expect(path!.classList).toContain('cs-mod-approximate');
    expect(path!.getAttribute('stroke-dasharray')).toBe('6 4');
    const tooltip = await hover(path!);
    expect(
      Array.from(tooltip!.querySelectorAll('.cs-DataMap-tip > div')).map(
        d => d.textContent
      )
    ).toEqual(['ATL06_20240101', note]);
    expect(strayImages()).toHaveLength(0);
    widget.dispose();
  });

  it('draws exact footprints solid', async () => {
    const { widget, $ } = await render({ footprints: [footprint()] });
    const path = $('path.cs-DataMap-footprint');
    expect(path!.classList).not.toContain('cs-mod-approximate');
    expect(path!.getAttribute('stroke-dasharray')).toBeNull();
    widget.dispose();
  });
});

describe('attribution text', () => {
  it('decodes the character references tile providers use', () => {
    expect(decodeEntities('&copy; &amp; &#169; &#xA9; &bogus; &#0;')).toBe(
      '© & © © &bogus; &#0;'
    );
  });

  it('keeps only http(s) links, with single or double quotes', () => {
    const nodes = attributionNodes(
      '<a href=\'https://a.example/\'>A</a>, <a href="data:text/html,x">B</a>, <a title="x" href="http://c.example/">C &amp; D</a>'
    );
    const holder = document.createElement('div');
    holder.append(...nodes);
    expect(holder.textContent).toBe(
      'A, <a href="data:text/html,x">B</a>, C & D'
    );
    expect(Array.from(holder.querySelectorAll('a')).map(a => a.href)).toEqual([
      'https://a.example/',
      'http://c.example/'
    ]);
  });
});
