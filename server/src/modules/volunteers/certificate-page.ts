import type { CertificateCheck } from '@shared/schemas/volunteers';
import { shanghaiDay } from '../../core/time';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * The public check as a small page, for a phone's camera that opened the certificate's QR code in a browser
 * (clients asking for JSON get JSON). No scripts, nothing loaded from elsewhere.
 */
export function certificateCheckPage(c: CertificateCheck): string {
  const years = c.byYear.map((y) => `<tr><td>${escape(y.year)} 年</td><td>${y.hours} 小时</td></tr>`).join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>志愿服务证明核验</title>
<style>body{font-family:sans-serif;margin:0;background:#f5f6f7;color:#1f2329}main{max-width:480px;margin:24px auto;padding:24px;background:#fff;border-radius:12px}
h1{font-size:20px;color:#c8102e}.ok{color:#1a9e5c;font-weight:600;font-size:18px}td{padding:4px 12px 4px 0}.muted{color:#8f959e;font-size:13px}</style>
</head><body><main>
<h1>志愿服务证明核验</h1>
<p class="ok">✓ 证明有效</p>
<p>持有人：${escape(c.maskedName)}</p>
<p>累计服务时长：<strong>${c.totalHours} 小时</strong>（参加活动 ${c.activityCount} 次）</p>
<table>${years}</table>
<p>出具单位：${escape(c.issuer)}<br>出具日期：${shanghaiDay(Date.parse(c.issuedAt))}<br>证明编号：${escape(c.serial)}</p>
${c.latest ? '' : '<p class="muted">持有人此后还有新的服务记录，本证明为出具时的数据。</p>'}
</main></body></html>`;
}
