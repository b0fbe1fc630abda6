/**
 * The data browser against NASA-shaped metadata (the stand-in's realistic
 * collections): a TELLUS-like granule of three formats opened by the formats
 * chosen in Insert code's dialog and run in a real kernel; ICESat-2 orbit bands
 * drawn dashed with their note; MODIS swaths across the antimeridian drawn as
 * one small shape, and the swaths round a pole as caps up to the pole.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import {
  openBrowser,
  openCollection,
  outputText,
  signIn
} from '../helpers/dataBrowser';

/**
 * Make the map tall enough for the whole world at its smallest zoom (Leaflet
 * clips shapes to what is in view, poles included), and wait for the redraw.
 */
async function showWholeWorld(panel: Locator) {
  const map = panel.locator('.cs-DataMap-canvas');
  await map.evaluate(el => {
    (el as HTMLElement).style.height = '600px';
  });
  await expect
    .poll(async () => (await map.boundingBox())?.height ?? 0)
    .toBeGreaterThan(590);
  // the ResizeObserver tells Leaflet, which redraws after its move
  await panel.page().waitForTimeout(500);
}

/**
 * Screen boxes of the map's land outline (it spans the world, -180..180, and
 * from Antarctica to the Arctic) and of every footprint drawn.
 */
async function mapBoxes(panel: Locator) {
  return await panel.locator('.cs-DataMap-canvas').evaluate(map => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, width: r.width };
    };
    const land = map.querySelector('path.cs-DataMap-land')!;
    return {
      land: box(land),
      footprints: Array.from(
        map.querySelectorAll('path.cs-DataMap-footprint')
      ).map(box)
    };
  });
}

test.describe.serial('Data browser: real-world granules', () => {
  test('insert code for a granule of three formats, choose two, run it', async ({
    page
  }) => {
    await signIn(page);
    await page.notebook.createNew('formats.ipynb');
    const panel = await openBrowser(page);
    const granules = await openCollection(panel, 'DEMO_GRACE_MASCON');
    await granules.first().click();
    await expect(panel.locator('.cs-SelectionBar-count')).toContainText(
      '1 granule'
    );
    await panel.locator('.cs-SelectionBar-insertCode').click();

    // one checkbox a format, all checked, with the file counts
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.locator('.jp-Dialog-header')).toHaveText(
      'Open which formats?'
    );
    const formats = dialog.locator('.cs-FormatsDialog-format');
    await expect(formats).toHaveCount(3);
    for (const id of ['netcdf', 'geotiff', 'text']) {
      const format = dialog.locator(
        `.cs-FormatsDialog-format[data-format="${id}"]`
      );
      await expect(format).toContainText('(1 file)');
      await expect(format.getByRole('checkbox')).toBeChecked();
    }
    // the keyboard is on the first checkbox: Tab to Text, Space unchecks it
    await expect(formats.first().getByRole('checkbox')).toBeFocused();
    const text = dialog
      .locator('.cs-FormatsDialog-format[data-format="text"]')
      .getByRole('checkbox');
    for (let i = 0; i < 3; i++) {
      if (await text.evaluate(el => el === document.activeElement)) {
        break;
      }
      await page.keyboard.press('Tab');
    }
    await expect(text).toBeFocused();
    await page.keyboard.press('Space');
    await expect(text).not.toBeChecked();
    await dialog.getByRole('button', { name: 'Insert code' }).click();
    await expect(dialog).toHaveCount(0);

    await expect
      .poll(async () => (await page.notebook.getCellTextInput(0)) ?? '')
      .toContain('DEMO_GRACE_MASCON');
    const source = (await page.notebook.getCellTextInput(0)) ?? '';
    expect(source).toContain('h5netcdf');
    expect(source).toContain('open_rasterio');
    expect(source).not.toMatch(/eyJ|s3cret/);
    // every xarray object the code made (a GeoTIFF group is a list of
    // DataArrays), printed
    await page.notebook.addCell(
      'code',
      [
        'import xarray as _xr',
        '_xarray = (_xr.Dataset, _xr.DataArray)',
        '_opened = {k: v for k, v in dict(globals()).items() if not k.startswith("_")',
        '           and (isinstance(v, _xarray) or isinstance(v, list) and v',
        '                and all(isinstance(x, _xarray) for x in v))}',
        'print(sorted(_opened))',
        'for _v in _opened.values():',
        '    for _x in (_v if isinstance(_v, list) else [_v]):',
        '        print(_x)'
      ].join('\n')
    );
    await page.notebook.run();
    const first = await outputText(page, 0);
    expect(first).not.toMatch(/Traceback|Error/);
    const opened = await outputText(page, 1);
    expect(opened).toContain('<xarray.Dataset>');
    expect(opened).toContain('lwe_thickness');
    expect(opened).toContain('<xarray.DataArray');
    expect(opened).not.toMatch(/Traceback|Error/);
  });

  test('ICESat-2 orbit granules are drawn as dashed latitude bands with their note', async ({
    page
  }) => {
    const panel = await openBrowser(page);
    await openCollection(panel, 'DEMO_ATL06');
    await showWholeWorld(panel);
    const bands = panel.locator('path.cs-DataMap-footprint.cs-mod-approximate');
    await expect(bands).toHaveCount(4);
    await expect(bands.first()).toHaveAttribute('stroke-dasharray', '6 4');
    // an orbit band goes round the whole world
    const { land, footprints } = await mapBoxes(panel);
    expect(footprints).toHaveLength(4);
    for (const band of footprints) {
      expect(band.width).toBeGreaterThan(land.width * 0.95);
    }
    await bands.first().dispatchEvent('mouseover');
    // (the pointer may have opened another band's tooltip on the way)
    await expect(panel.locator('.leaflet-tooltip').first()).toContainText(
      /Approximate: orbit from .+ CMR has no footprint/
    );
  });

  test('MODIS swaths: across the antimeridian as one shape, round a pole as a cap', async ({
    page
  }) => {
    const panel = await openBrowser(page);
    // LAADS is not cloud hosted
    await openCollection(panel, 'DEMO_MOD021KM', { cloudHostedOnly: false });
    await showWholeWorld(panel);
    const paths = panel.locator('path.cs-DataMap-footprint');
    await expect(paths).toHaveCount(20);
    await expect(
      panel.locator('path.cs-DataMap-footprint.cs-mod-approximate')
    ).toHaveCount(0);
    const { land, footprints } = await mapBoxes(panel);
    // only the two polar swaths span the world; the 7 across ±180 stay small
    const wide = footprints.filter(f => f.width > land.width * 0.5);
    expect(wide).toHaveLength(2);
    // one reaches the top of the map (above the land's northern coasts), the
    // other the bottom: caps up to the poles, not strips at 78–80°
    const north = wide.reduce((a, b) => (a.top < b.top ? a : b));
    const south = wide.reduce((a, b) => (a.bottom > b.bottom ? a : b));
    expect(north.top).toBeLessThan(land.top);
    expect(south.bottom).toBeGreaterThanOrEqual(land.bottom - 2);
  });
});
