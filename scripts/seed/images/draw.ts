import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

/**
 * The seed's pictures, drawn here (no photo site, no licence question): a small landscape per contest
 * subject — sky, sun or moon, two rows of hills, a field — as a PNG. `npx tsx scripts/seed/images/draw.ts`
 * rewrites the committed files; the seed reads the files.
 */

type Rgb = readonly [number, number, number];
export interface Scene {
  sky: [Rgb, Rgb];
  sun: Rgb;
  sunAt: [number, number];
  far: Rgb;
  near: Rgb;
  field: Rgb;
  /** Flecks on the field (flowers, tea, fireflies, snow…). */
  dots: Rgb;
}

export const SCENES: Record<string, Scene> = {
  'contest-0': {
    sky: [
      [120, 180, 235],
      [220, 238, 250],
    ],
    sun: [255, 236, 160],
    sunAt: [0.78, 0.22],
    far: [120, 160, 120],
    near: [90, 140, 70],
    field: [236, 200, 40],
    dots: [255, 230, 90],
  },
  'contest-1': {
    sky: [
      [160, 205, 230],
      [235, 245, 240],
    ],
    sun: [255, 250, 220],
    sunAt: [0.2, 0.2],
    far: [110, 150, 120],
    near: [60, 120, 70],
    field: [70, 140, 60],
    dots: [150, 200, 90],
  },
  'contest-2': {
    sky: [
      [20, 30, 70],
      [60, 70, 120],
    ],
    sun: [250, 245, 210],
    sunAt: [0.75, 0.2],
    far: [30, 50, 60],
    near: [20, 40, 40],
    field: [25, 45, 35],
    dots: [240, 250, 140],
  },
  'contest-3': {
    sky: [
      [140, 200, 240],
      [230, 240, 250],
    ],
    sun: [255, 240, 170],
    sunAt: [0.85, 0.18],
    far: [130, 170, 110],
    near: [110, 160, 60],
    field: [200, 190, 60],
    dots: [230, 210, 100],
  },
  'contest-4': {
    sky: [
      [240, 170, 100],
      [250, 225, 170],
    ],
    sun: [255, 210, 120],
    sunAt: [0.3, 0.3],
    far: [170, 130, 80],
    near: [150, 110, 50],
    field: [220, 170, 60],
    dots: [250, 200, 80],
  },
  'contest-5': {
    sky: [
      [150, 190, 230],
      [235, 235, 240],
    ],
    sun: [255, 245, 200],
    sunAt: [0.7, 0.2],
    far: [180, 90, 60],
    near: [200, 60, 40],
    field: [170, 80, 40],
    dots: [240, 120, 60],
  },
  'contest-6': {
    sky: [
      [180, 190, 205],
      [235, 238, 242],
    ],
    sun: [245, 245, 245],
    sunAt: [0.25, 0.22],
    far: [200, 205, 215],
    near: [225, 228, 235],
    field: [245, 246, 250],
    dots: [255, 255, 255],
  },
  'contest-7': {
    sky: [
      [200, 80, 60],
      [250, 190, 140],
    ],
    sun: [255, 230, 150],
    sunAt: [0.5, 0.28],
    far: [120, 60, 50],
    near: [90, 40, 40],
    field: [160, 50, 40],
    dots: [240, 200, 80],
  },
};

const W = 320;
const H = 240;

/** A deterministic pseudo-random sequence (the same picture every time). */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export function drawScene(scene: Scene, seed: number): Buffer {
  const px = Buffer.alloc(W * H * 3);
  const set = (x: number, y: number, c: Rgb) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    px.set(c, (y * W + x) * 3);
  };
  const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => Math.round(a[i]! + (b[i]! - a[i]!) * t)) as unknown as Rgb;
  const farAt = (x: number) => H * 0.5 + Math.sin(x / 37 + seed) * 14 + Math.sin(x / 13 + seed * 2) * 5;
  const nearAt = (x: number) => H * 0.62 + Math.sin(x / 53 + seed * 3) * 16;
  const fieldAt = H * 0.74;
  const [sx, sy] = [scene.sunAt[0] * W, scene.sunAt[1] * H];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let c = mix(scene.sky[0], scene.sky[1], y / (H * 0.6));
      if ((x - sx) ** 2 + (y - sy) ** 2 < 18 ** 2) c = scene.sun;
      if (y > farAt(x)) c = scene.far;
      if (y > nearAt(x)) c = scene.near;
      if (y > fieldAt) c = mix(scene.field, scene.near, (y - fieldAt) / (H - fieldAt) / 2);
      set(x, y, c);
    }
  }
  const rand = rng(seed + 7);
  for (let i = 0; i < 260; i++) {
    const x = Math.floor(rand() * W);
    const y = Math.floor(fieldAt + rand() * (H - fieldAt));
    for (const [dx, dy] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ] as const)
      set(x + dx, y + dy, scene.dots);
  }
  return png(px);
}

/** The shop fronts' colours (sign board and awning), one per seeded shop (shop-0.png … shop-5.png). */
export const SHOP_COLOURS: readonly Rgb[] = [
  [200, 40, 40],
  [190, 120, 30],
  [40, 110, 170],
  [60, 140, 90],
  [120, 80, 160],
  [70, 80, 90],
];

/**
 * A shop front: sky, the wall, a sign board, a striped awning, a glass door between two windows with goods on
 * their shelves, the pavement. No lettering: the app prints the shop's name beside it.
 */
export function drawShopFront(colour: Rgb, seed: number): Buffer {
  const px = Buffer.alloc(W * H * 3);
  const fill = (x0: number, y0: number, x1: number, y1: number, c: Rgb) => {
    for (let y = Math.max(0, y0); y < Math.min(H, y1); y++)
      for (let x = Math.max(0, x0); x < Math.min(W, x1); x++) px.set(c, (y * W + x) * 3);
  };
  const wall: Rgb = [236, 228, 214];
  const glass: Rgb = [170, 205, 225];
  const frame: Rgb = [90, 80, 70];
  fill(0, 0, W, 40, [190, 220, 240]);
  fill(0, 40, W, 200, wall);
  fill(24, 48, W - 24, 88, colour); // sign board
  fill(32, 60, W - 32, 76, [250, 245, 235]); // its blank lettering strip
  for (let i = 0; i < 10; i++) fill(i * 32, 96, i * 32 + 32, 118, i % 2 === 0 ? colour : [250, 250, 250]); // awning
  fill(128, 124, 192, 200, frame); // door frame
  fill(134, 130, 186, 200, glass);
  fill(157, 130, 163, 200, frame);
  const rand = rng(seed);
  for (const x0 of [28, 212]) {
    fill(x0, 128, x0 + 80, 184, frame);
    fill(x0 + 4, 132, x0 + 76, 180, glass);
    for (const y of [148, 166]) {
      fill(x0 + 4, y + 8, x0 + 76, y + 10, frame); // shelf
      for (let x = x0 + 8; x < x0 + 72; x += 10) {
        const shade = 0.6 + rand() * 0.4;
        fill(x, y, x + 7, y + 8, colour.map((v) => Math.round(v * shade)) as unknown as Rgb);
      }
    }
  }
  fill(0, 200, W, H, [200, 200, 195]); // pavement
  for (let x = 0; x < W; x += 40) fill(x, 200, x + 2, H, [180, 180, 175]);
  return png(px);
}

/**
 * A business licence, for the seeded applications' licence photos: the cream sheet with its red border, a
 * heading bar, grey bars for the lines of text, the QR square and the red seal. No lettering (nothing to read).
 */
export function drawLicence(): Buffer {
  const px = Buffer.alloc(W * H * 3);
  const fill = (x0: number, y0: number, x1: number, y1: number, c: Rgb) => {
    for (let y = Math.max(0, y0); y < Math.min(H, y1); y++)
      for (let x = Math.max(0, x0); x < Math.min(W, x1); x++) px.set(c, (y * W + x) * 3);
  };
  const red: Rgb = [190, 30, 30];
  fill(0, 0, W, H, [120, 110, 100]); // the table it was photographed on
  fill(12, 8, W - 12, H - 8, red);
  fill(18, 14, W - 18, H - 14, [248, 240, 220]);
  fill(110, 26, 210, 40, red); // 营业执照
  const rand = rng(11);
  for (let i = 0; i < 8; i++) {
    fill(40, 56 + i * 18, 88, 62 + i * 18, [110, 110, 110]); // label
    fill(96, 56 + i * 18, 96 + Math.round(80 + rand() * 100), 62 + i * 18, [60, 60, 60]); // value
  }
  fill(244, 56, 288, 100, [30, 30, 30]); // QR code
  fill(250, 62, 282, 94, [248, 240, 220]);
  fill(258, 70, 274, 86, [30, 30, 30]);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const d = Math.hypot(x - 250, y - 180);
      if (d < 30 && d > 26) px.set(red, (y * W + x) * 3); // the seal's ring
      if (d < 6) px.set(red, (y * W + x) * 3); // and its star
    }
  return png(px);
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(rgb: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(W, 0);
  ihdr.writeUInt32BE(H, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const raw = Buffer.alloc((W * 3 + 1) * H);
  for (let y = 0; y < H; y++) rgb.copy(raw, y * (W * 3 + 1) + 1, y * W * 3, (y + 1) * W * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (require.main === module) {
  for (const [i, [name, scene]] of Object.entries(SCENES).entries()) {
    writeFileSync(path.join(__dirname, `${name}.png`), drawScene(scene, i + 1));
  }
  SHOP_COLOURS.forEach((colour, i) => writeFileSync(path.join(__dirname, `shop-${i}.png`), drawShopFront(colour, i + 1)));
  writeFileSync(path.join(__dirname, 'licence.png'), drawLicence());
}
