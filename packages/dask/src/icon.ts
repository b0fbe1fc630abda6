import { LabIcon } from '@jupyterlab/ui-components';

// A scheduler linked to three workers, strokes only; `jp-icon3` follows the
// theme's icon colour.
const svgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24" fill="none">
  <g class="jp-icon3" stroke="#616161" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
    <rect x="8.5" y="2.5" width="7" height="5" rx="1"/>
    <path d="M12 7.5v4M5 16v-2.5h14V16M12 11.5V16"/>
    <rect x="2" y="16" width="6" height="5" rx="1"/>
    <rect x="9" y="16" width="6" height="5" rx="1"/>
    <rect x="16" y="16" width="6" height="5" rx="1"/>
  </g>
</svg>`;

/**
 * The Dask panel's icon (also the settings' icon: `cloudscapes:dask`).
 */
export const daskIcon = new LabIcon({
  name: 'cloudscapes:dask',
  svgstr
});
