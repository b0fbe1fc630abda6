import { LabIcon } from '@jupyterlab/ui-components';

// A globe drawn with strokes only; `jp-icon3` follows the theme's icon colour.
const svgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24" fill="none">
  <g class="jp-icon3" stroke="#616161" stroke-width="1.6" stroke-linecap="round">
    <circle cx="12" cy="12" r="9"/>
    <ellipse cx="12" cy="12" rx="3.8" ry="9"/>
    <path d="M3.2 12h17.6M5 7.2h14M5 16.8h14"/>
  </g>
</svg>`;

/**
 * The Earthdata panel's icon (also the settings' icon: `cloudscapes:earthdata`).
 */
export const earthdataIcon = new LabIcon({
  name: 'cloudscapes:earthdata',
  svgstr
});
