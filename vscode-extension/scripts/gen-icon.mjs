// Draws icons/snipstudio.png (the marketplace icon; vsce wants a PNG) from the shapes of
// icons/snipstudio.svg, with no image library: three nodes joined by edges on a rounded square.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const N = 128;
const px = Buffer.alloc(N * N * 4);
const seg = (x, y, ax, ay, bx, by) => {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
};
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const cx = Math.max(28 - x, 0, x - 99), cy = Math.max(28 - y, 0, y - 99);
    let c = Math.hypot(cx, cy) <= 24 && x >= 4 && x < 124 && y >= 4 && y < 124 ? [0x2b, 0x5f, 0x9e, 255] : [0, 0, 0, 0];
    if (c[3] && Math.min(seg(x, y, 36, 40, 92, 40), seg(x, y, 36, 40, 64, 92), seg(x, y, 92, 40, 64, 92)) <= 3) c = [255, 255, 255, 255];
    if (Math.hypot(x - 36, y - 40) <= 12 || Math.hypot(x - 92, y - 40) <= 12) c = [255, 255, 255, 255];
    if (Math.hypot(x - 64, y - 92) <= 12) c = [0xff, 0xd2, 0x57, 255];
    px.set(c, (y * N + x) * 4);
  }
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
const raw = Buffer.concat(Array.from({ length: N }, (_, y) => Buffer.concat([Buffer.from([0]), px.subarray(y * N * 4, (y + 1) * N * 4)])));
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'icons', 'snipstudio.png'), png);
