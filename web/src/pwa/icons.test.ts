// The app icons drawn at build time (web/scripts/app-icons.mjs): valid PNG
// files a browser accepts, of the manifest's sizes, and the two kinds the
// manifest promises (a rounded icon on transparency, a full-bleed maskable one).
import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { ICON_BACKGROUND, ICONS, iconPng } from '../../scripts/app-icons.mjs';

/** Parses a PNG written as 8-bit RGBA, filter 0 on every row; checks each chunk's CRC. */
function decodePng(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number[] } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(zlib.crc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = chunks[0]!.data;
  const width = header.readUInt32BE(0), height = header.readUInt32BE(4);
  expect([...header.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
  const rows = zlib.inflateSync(chunks[1]!.data);
  expect(rows.length).toBe(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) expect(rows[y * (width * 4 + 1)]).toBe(0);
  return { width, height, pixel: (x, y) => [...rows.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 1 + x * 4 + 4)] };
}

describe('app icons', () => {
  it('the manifest has 192 and 512 pixel icons, plain and maskable', () => {
    expect(ICONS.map((i) => `${i.size} ${i.purpose}`).sort()).toEqual(['192 any', '192 maskable', '512 any', '512 maskable']);
  });

  for (const icon of ICONS) {
    it(`${icon.file}: a ${icon.size}x${icon.size} PNG; background, white neurons${icon.purpose === 'maskable' ? ', no transparency' : ', transparent corners'}`, () => {
      const png = decodePng(iconPng(icon));
      expect([png.width, png.height]).toEqual([icon.size, icon.size]);
      const s = icon.size;
      const corner = png.pixel(0, 0);
      if (icon.purpose === 'maskable') expect(corner).toEqual([...ICON_BACKGROUND, 255]);
      else expect(corner[3]).toBe(0);
      // Near an edge's middle: background, inside the shape.
      expect(png.pixel(Math.round(s * 0.5), Math.round(s * 0.04))).toEqual([...ICON_BACKGROUND, 255]);
      // The middle neuron of the hidden layer sits at the centre: white.
      expect(png.pixel(s / 2, s / 2)).toEqual([255, 255, 255, 255]);
      // A maskable icon keeps its drawing inside the safe circle (radius 40 %).
      if (icon.purpose === 'maskable') {
        const background = [...ICON_BACKGROUND, 255].join();
        let outside = 0;
        for (let y = 0; y < s; y++) {
          for (let x = 0; x < s; x++) {
            if (Math.hypot(x + 0.5 - s / 2, y + 0.5 - s / 2) > 0.4 * s && png.pixel(x, y).join() !== background) outside++;
          }
        }
        expect(outside, 'drawn pixels outside the safe circle').toBe(0);
      }
    });
  }
});
