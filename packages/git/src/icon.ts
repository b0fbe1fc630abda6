import { LabIcon } from '@jupyterlab/ui-components';

// A branch that leaves a line and merges back, strokes only; `jp-icon3`
// follows the theme's icon colour.
const svgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24" fill="none">
  <g class="jp-icon3" stroke="#616161" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
    <circle cx="6" cy="5" r="2.2"/>
    <circle cx="6" cy="19" r="2.2"/>
    <circle cx="18" cy="9" r="2.2"/>
    <path d="M6 7.2v9.6M18 11.2c0 4-6 3.6-11 6.2"/>
  </g>
</svg>`;

/**
 * The Git panel's icon (also the settings' icon: `cloudscapes:git`).
 */
export const gitIcon = new LabIcon({
  name: 'cloudscapes:git',
  svgstr
});
