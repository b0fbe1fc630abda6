/**
 * jsdom has SVG elements but not `createSVGRect`, by which Leaflet decides
 * that SVG works: without it, it finds no renderer for polygons. Import this
 * before Leaflet (before ../map/MapView).
 */
const svg = window.SVGSVGElement.prototype as unknown as {
  createSVGRect?: () => unknown;
};
if (!svg.createSVGRect) {
  svg.createSVGRect = () => ({ x: 0, y: 0, width: 0, height: 0 });
}

export {};
