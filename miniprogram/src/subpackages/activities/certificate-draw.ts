import type { CertificateView } from '@shared/schemas/volunteers';
import { colors } from '../../components/ui/theme';

/**
 * Draws the 志愿服务证明 on a 2D canvas (the WeChat canvas type="2d" and the browser's share this API), so
 * the weapp saves it to the album and the H5 console downloads the same picture. Logical width 750; the
 * caller scales for the screen's pixel ratio.
 */

/** The part of CanvasRenderingContext2D used here (WeChat's 2D context has the same members). */
export interface Ctx2D {
  fillStyle: string | CanvasGradient | CanvasPattern;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  font: string;
  textAlign: CanvasTextAlign;
  textBaseline: CanvasTextBaseline;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  drawImage(image: never, x: number, y: number, w: number, h: number): void;
}

export const CERT_WIDTH = 750;
const PAD = 60;
const LINE = 44;
/** More activities than this are summed up in one line (the page itself lists them all). */
export const MAX_DRAWN_LINES = 15;

const hoursText = (h: number) => `${h} 小时`;
const date = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10) : '');

/** The sentence the certificate states (also shown on the page). */
export function certificateStatement(c: CertificateView): string {
  const first = date(c.firstServiceAt);
  const last = date(c.lastServiceAt);
  const span = !first || !last ? '' : first === last ? `于 ${first} ` : `于 ${first} 至 ${last} 期间`;
  const teams = c.teams.length ? `（${c.teams.join('、')}）` : '';
  return `兹证明 ${c.name}${teams} ${span}参加志愿服务活动 ${c.activityCount} 次，累计服务时长 ${hoursText(c.totalHours)}。特此证明。`;
}

/** Splits text into lines no wider than `width` (character by character: Chinese has no spaces). */
export function wrap(ctx: Pick<Ctx2D, 'measureText'>, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line && ctx.measureText(line + ch).width > width) {
      lines.push(line);
      line = ch;
    } else line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

/** Height the drawing needs (so the canvas can be sized first). */
export function certificateHeight(ctx: Pick<Ctx2D, 'measureText' | 'font'>, c: CertificateView): number {
  ctx.font = '30px sans-serif';
  const statement = wrap(ctx, certificateStatement(c), CERT_WIDTH - 2 * PAD).length;
  const drawn = Math.min(c.lines.length, MAX_DRAWN_LINES) + (c.lines.length > MAX_DRAWN_LINES ? 1 : 0);
  return 220 + statement * LINE + 90 + c.byYear.length * 40 + 90 + drawn * 40 + 330;
}

/** Draws the whole certificate from the top left; `qr` is the loaded QR image (or null to leave it out). */
export function drawCertificate(ctx: Ctx2D, c: CertificateView, qr: unknown, height: number): void {
  const W = CERT_WIDTH;
  ctx.fillStyle = colors.surface;
  ctx.fillRect(0, 0, W, height);
  ctx.strokeStyle = colors.primary;
  ctx.lineWidth = 6;
  ctx.strokeRect(18, 18, W - 36, height - 36);
  ctx.lineWidth = 2;
  ctx.strokeRect(30, 30, W - 60, height - 60);

  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  ctx.fillStyle = colors.primary;
  ctx.font = 'bold 52px sans-serif';
  ctx.fillText('志愿服务证明', W / 2, 80);

  ctx.textAlign = 'left';
  ctx.fillStyle = colors.text;
  ctx.font = '30px sans-serif';
  let y = 220;
  for (const line of wrap(ctx, certificateStatement(c), W - 2 * PAD)) {
    ctx.fillText(line, PAD, y);
    y += LINE;
  }

  y += 30;
  ctx.font = 'bold 28px sans-serif';
  ctx.fillText('年度服务时长', PAD, y);
  y += 50;
  ctx.font = '26px sans-serif';
  for (const row of c.byYear) {
    ctx.fillText(`${row.year} 年`, PAD, y);
    ctx.fillText(hoursText(row.hours), PAD + 200, y);
    y += 40;
  }

  y += 30;
  ctx.font = 'bold 28px sans-serif';
  ctx.fillText('服务记录', PAD, y);
  y += 50;
  ctx.font = '24px sans-serif';
  for (const line of c.lines.slice(0, MAX_DRAWN_LINES)) {
    ctx.fillText(line.date, PAD, y);
    const title = wrap(ctx, line.title, 360)[0] ?? '';
    ctx.fillText(title === line.title ? title : `${title.slice(0, -1)}…`, PAD + 150, y);
    ctx.fillText(hoursText(line.hours), W - PAD - 110, y);
    y += 40;
  }
  if (c.lines.length > MAX_DRAWN_LINES) {
    ctx.fillText(`……等共 ${c.lines.length} 项，详见核验页面`, PAD, y);
    y += 40;
  }

  const footer = height - 300;
  ctx.font = '24px sans-serif';
  ctx.fillStyle = colors.text;
  ctx.fillText(`出具单位：${c.issuer}`, PAD, footer + 40);
  ctx.fillText(`出具日期：${date(c.issuedAt)}`, PAD, footer + 84);
  ctx.fillText(`证明编号：${c.serial}`, PAD, footer + 128);
  ctx.fillStyle = colors.textMuted;
  ctx.font = '22px sans-serif';
  ctx.fillText('扫描右侧二维码可核验本证明真伪', PAD, footer + 176);
  if (qr) ctx.drawImage(qr as never, W - PAD - 200, footer, 200, 200);
}
