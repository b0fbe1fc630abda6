/**
 * An image diff: both versions side by side ("2-up"), or stacked with a
 * slider that swipes from one to the other or fades one into the other
 * ("onion skin"). The server sends each side as base64 with its MIME type;
 * only raster and SVG image types become `data:` URLs of an `<img>` (an SVG in
 * an `<img>` runs no script), anything else is named, not shown.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { formatBytes } from '@cloudscapes/core';

import type { IImageSide } from './types';

const IMAGE_MIMES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/x-icon',
  'image/vnd.microsoft.icon',
  'image/avif',
  'image/svg+xml'
]);

/**
 * The `data:` URL of an image side, or `null` when it is not an image type
 * the page shows, or its data is not base64.
 */
export function imageDataUrl(side: IImageSide | null): string | null {
  if (!side) {
    return null;
  }
  const mime = side.mime.toLowerCase().trim();
  if (!IMAGE_MIMES.has(mime)) {
    return null;
  }
  const data = side.data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) {
    return null;
  }
  return `data:${mime};base64,${data}`;
}

type Mode = 'two-up' | 'swipe' | 'onion';

function Picture(props: {
  side: IImageSide | null;
  alt: string;
  missing: string;
  className?: string;
  style?: React.CSSProperties;
}): JSX.Element {
  const url = imageDataUrl(props.side);
  if (!props.side) {
    return <div className="cs-GitImgDiff-missing">{props.missing}</div>;
  }
  if (!url) {
    return <div className="cs-GitImgDiff-missing">{props.side.mime}</div>;
  }
  return (
    <img
      className={`cs-GitImgDiff-img${props.className ? ` ${props.className}` : ''}`}
      src={url}
      alt={props.alt}
      style={props.style}
    />
  );
}

/**
 * The image diff view.
 */
export function ImageDiff(props: {
  old: IImageSide | null;
  new: IImageSide | null;
  oldSize: number | null;
  newSize: number | null;
  oldLabel: string;
  newLabel: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const both = !!(imageDataUrl(props.old) && imageDataUrl(props.new));
  const [mode, setMode] = React.useState<Mode>('two-up');
  const [position, setPosition] = React.useState(50);
  const modes: Array<{ value: Mode; label: string }> = [
    { value: 'two-up', label: trans.__('Side by side') },
    { value: 'swipe', label: trans.__('Swipe') },
    { value: 'onion', label: trans.__('Onion skin') }
  ];
  const size = (bytes: number | null) =>
    bytes === null ? '' : ` (${formatBytes(bytes)})`;
  const oldAlt = trans.__('%1 version', props.oldLabel);
  const newAlt = trans.__('%1 version', props.newLabel);
  const current = both ? mode : 'two-up';
  return (
    <div className="cs-GitImgDiff" data-mode={current}>
      {both ? (
        <div
          className="cs-GitImgDiff-modes"
          role="group"
          aria-label={trans.__('How to compare the images')}
        >
          {modes.map(({ value, label }) => (
            <button
              key={value}
              type="button"
              className={`jp-Button jp-mod-styled ${current === value ? 'jp-mod-accept' : 'jp-mod-reject'}`}
              aria-pressed={current === value}
              onClick={() => setMode(value)}
            >
              {label}
            </button>
          ))}
        </div>
      ) : null}
      {current === 'two-up' ? (
        <div className="cs-GitImgDiff-twoUp">
          <figure className="cs-GitImgDiff-side cs-mod-old">
            <figcaption>
              {props.oldLabel}
              {size(props.oldSize)}
            </figcaption>
            <Picture
              side={props.old}
              alt={oldAlt}
              missing={trans.__('No image in this version.')}
            />
          </figure>
          <figure className="cs-GitImgDiff-side cs-mod-new">
            <figcaption>
              {props.newLabel}
              {size(props.newSize)}
            </figcaption>
            <Picture
              side={props.new}
              alt={newAlt}
              missing={trans.__('No image in this version.')}
            />
          </figure>
        </div>
      ) : (
        <div className="cs-GitImgDiff-stack">
          <div className="cs-GitImgDiff-stackLabels">
            <span>{props.oldLabel}</span>
            <span>{props.newLabel}</span>
          </div>
          <div className="cs-GitImgDiff-frame">
            <Picture
              side={props.new}
              alt={newAlt}
              missing=""
              className="cs-GitImgDiff-under"
            />
            <Picture
              side={props.old}
              alt={oldAlt}
              missing=""
              className="cs-GitImgDiff-over"
              style={
                current === 'swipe'
                  ? { clipPath: `inset(0 ${100 - position}% 0 0)` }
                  : { opacity: 1 - position / 100 }
              }
            />
          </div>
          <input
            type="range"
            className="cs-GitImgDiff-slider"
            min={0}
            max={100}
            value={position}
            aria-label={
              current === 'swipe'
                ? trans.__('Swipe between the two versions')
                : trans.__('Fade between the two versions')
            }
            onChange={event => setPosition(Number(event.target.value))}
          />
        </div>
      )}
    </div>
  );
}
