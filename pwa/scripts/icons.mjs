// Draws the app icons (a clock face on Deskwatch blue) as PNGs, so the repo needs no image tools.
// Run: node scripts/icons.mjs  (the output is committed under public/).
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function icon(size, maskable) {
  const rows = [];
  const c = size / 2;
  const face = maskable ? size * 0.32 : size * 0.42;
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - c,
        dy = y + 0.5 - c,
        r = Math.hypot(dx, dy);
      let px = [0x00, 0x52, 0xcc, 255]; // background
      if (!maskable && (x < size * 0.04 || y < size * 0.04 || x >= size * 0.96 || y >= size * 0.96))
        px = [0, 0, 0, 0];
      if (r < face) px = [255, 255, 255, 255];
      if (r < face && r > face * 0.88) px = [0x17, 0x2b, 0x4d, 255];
      const hand = (ax, ay, len, w) => {
        const t = dx * ax + dy * ay;
        return t > 0 && t < len && Math.abs(dx * ay - dy * ax) < w;
      };
      if (hand(0, -1, face * 0.7, size * 0.03) || hand(1, 0, face * 0.5, size * 0.03))
        px = [0x17, 0x2b, 0x4d, 255];
      if (r < size * 0.04) px = [0xde, 0x35, 0x0b, 255];
      row.push(...px);
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../public/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), icon(192, false));
writeFileSync(new URL('icon-512.png', out), icon(512, false));
writeFileSync(new URL('icon-maskable-512.png', out), icon(512, true));
writeFileSync(new URL('apple-touch-icon.png', out), icon(180, true));

/** An ICO holding PNG images (every current browser reads those), for the `/favicon.ico` browsers ask for by themselves. */
function ico(sizes) {
  const pngs = sizes.map((s) => icon(s, false));
  const head = Buffer.alloc(6 + 16 * pngs.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // an icon
  head.writeUInt16LE(pngs.length, 4);
  let offset = head.length;
  pngs.forEach((png, i) => {
    const e = 6 + 16 * i;
    head.writeUInt8(sizes[i] % 256, e); // 0 stands for 256
    head.writeUInt8(sizes[i] % 256, e + 1);
    head.writeUInt16LE(1, e + 4); // colour planes
    head.writeUInt16LE(32, e + 6); // bits per pixel
    head.writeUInt32LE(png.length, e + 8);
    head.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([head, ...pngs]);
}
writeFileSync(new URL('favicon.ico', out), ico([16, 32, 48]));
writeFileSync(new URL('favicon-32.png', out), icon(32, false));
