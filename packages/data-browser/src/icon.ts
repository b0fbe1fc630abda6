import { LabIcon } from '@jupyterlab/ui-components';

// A stack of data layers with a magnifier, strokes only; `jp-icon3` follows
// the theme's icon colour.
const svgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24" fill="none">
  <g class="jp-icon3" stroke="#616161" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
    <ellipse cx="10" cy="5.5" rx="7" ry="2.5"/>
    <path d="M3 5.5v5c0 1.4 3.1 2.5 7 2.5M17 5.5v3.5M3 10.5v5c0 1.4 3.1 2.5 7 2.5"/>
    <circle cx="17" cy="15" r="3.2"/>
    <path d="M19.3 17.3 22 20"/>
  </g>
</svg>`;

/**
 * The data browser's icon (also the settings' icon: `cloudscapes:data`).
 */
export const dataIcon = new LabIcon({
  name: 'cloudscapes:data',
  svgstr
});
