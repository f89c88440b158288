/**
 * GET /api/v1/console/exports/:kind: the audit log, statistics, volunteer hours and coupon redemptions as CSV
 * and as Excel (xlsx), streamed; each download is parsed back (CSV fields; the workbook with exceljs)
 * and its Chinese headers and rows checked. Who may export what: the audit log is the admins' alone.
 */
import ExcelJS from 'exceljs';
import { Types } from 'mongoose';
import type supertest from 'supertest';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;
const NOW = new Date('2026-11-24T01:00:00Z');
const DAY = '2026-11-23';
const at = (hhmm: string) => new Date(`${DAY}T${hhmm}:00+08:00`);

beforeAll(async () => {
  t = await createTestContext({ now: new Date('2026-11-23T02:00:00Z') });
  for (let i = 0; i < 1200; i += 1)
    await t.services.audit.record({
      actorId: null,
      action: i === 0 ? '=cmd|danger' : 'role.grant',
      details: { n: i, note: '含,逗号"引号' },
    });
  t.clock.set(NOW);
  admin = await loginAs(t, 'admin');
  const db = t.deps.db;
  const teamId = new Types.ObjectId();
  const activityId = new Types.ObjectId();
  await db.collection('volunteer_teams').insertOne({ _id: teamId, name: '青溪志愿队', area: '青溪镇' });
  await db.collection('volunteer_activities').insertOne({ _id: activityId, teamId, title: '清扫河道' });
  await db.collection('volunteer_signups').insertOne({
    activityId,
    userId: new Types.ObjectId(),
    checkInAt: at('08:00'),
    checkOutAt: at('10:00'),
    minutes: 120,
    confirmedAt: at('12:00'),
  });
  await db.collection('coupons').insertOne({
    batchId: new Types.ObjectId(),
    seq: 1,
    userId: new Types.ObjectId(),
    code: 'ABC123',
    title: '冬季消费券',
    value: 500,
    status: 'used',
    claimedAt: at('08:00'),
    redeemedAt: at('12:00'),
    orderAmount: 3000,
  });
  await db
    .collection('points_entries')
    .insertOne({ userId: new Types.ObjectId(), amount: 5, source: 'reading', day: DAY, idempotencyKey: 'x1' });
  await t.services.stats.rollUp(NOW);
});
afterAll(() => t.close());

const binary = (res: supertest.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function download(who: LoggedIn, kind: string, format: 'csv' | 'xlsx') {
  return who.agent.get(`/api/v1/console/exports/${kind}`).query({ format, from: DAY, to: DAY }).buffer(true).parse(binary);
}

/** A minimal CSV reader (RFC 4180 quotes), enough to check what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r') continue;
    else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

/** Reads the workbook back with exceljs: the sheet names and the first sheet's rows, every cell as text. */
async function parseXlsx(buf: Buffer): Promise<{ sheets: string[]; rows: string[][]; types: ExcelJS.ValueType[][] }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buf as unknown as ExcelJS.Buffer);
  const sheet = book.worksheets[0]!;
  const rows: string[][] = [];
  const types: ExcelJS.ValueType[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells = Array.from({ length: sheet.columnCount }, (_, i) => row.getCell(i + 1));
    rows.push(cells.map((c) => (c.value === null || c.value === undefined ? '' : String(c.value))));
    types.push(cells.map((c) => c.type));
  });
  return { sheets: book.worksheets.map((w) => w.name), rows, types };
}

describe('console exports', () => {
  it('streams the audit log as CSV with a BOM, Chinese headers, quoted fields and defused formulas', async () => {
    const res = await download(admin, 'audit', 'csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(['时间', '操作人ID', '操作', '对象类型', '对象ID', '详情', '请求ID']);
    expect(rows.length).toBe(1201);
    expect(rows[1]![2]).toBe("'=cmd|danger");
    expect(JSON.parse(rows[1]![5]!)).toEqual({ n: 0, note: '含,逗号"引号' });
  });

  it('writes the audit log as an xlsx workbook that parses back to the same rows', async () => {
    const res = await download(admin, 'audit', 'xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const { sheets, rows, types } = await parseXlsx(res.body as Buffer);
    expect(sheets).toEqual(['审计日志']);
    expect(rows[0]).toEqual(['时间', '操作人ID', '操作', '对象类型', '对象ID', '详情', '请求ID']);
    expect(rows.length).toBe(1201);
    expect(JSON.parse(rows[1200]![5]!)).toEqual({ n: 1199, note: '含,逗号"引号' });
    // A leading "=" stays text: a string cell, not a formula.
    expect([rows[1]![2], types[1]![2]]).toEqual(['=cmd|danger', ExcelJS.ValueType.String]);
  });

  it.each(['csv', 'xlsx'] as const)('exports statistics, volunteer hours and coupon redemptions (%s)', async (format) => {
    const editor = await loginAs(t, 'editor');
    const parse = async (b: Buffer) => (format === 'csv' ? parseCsv(b.toString('utf8').slice(1)) : (await parseXlsx(b)).rows);
    const stats = await parse((await download(editor, 'stats', format)).body as Buffer);
    expect(stats[0]).toEqual(['日期', '类别', '对象', '区域', '部门', '指标', '数值']);
    expect(stats).toContainEqual([DAY, '积分', 'reading', '', '', '发放', '5']);
    const hours = await parse((await download(editor, 'volunteer-hours', format)).body as Buffer);
    expect(hours[0]).toEqual(['签退时间', '签到时间', '志愿者ID', '队伍', '活动', '服务时长（小时）', '已确认']);
    expect(hours[1]).toEqual(expect.arrayContaining(['2026-11-23 10:00', '青溪志愿队', '清扫河道', '2', '是']));
    const coupons = await parse((await download(editor, 'coupon-redemptions', format)).body as Buffer);
    expect(coupons[0]![0]).toBe('核销时间');
    expect(coupons[1]).toEqual(expect.arrayContaining(['2026-11-23 12:00', 'ABC123', '冬季消费券', '500', '3000']));
  });

  it("narrows the statistics export to the dashboard's department and area, as the dashboard does", async () => {
    const editor = await loginAs(t, 'editor');
    const row = (dimension: string, key: string, extra: object) => ({
      day: DAY,
      dimension,
      key,
      label: key,
      values: { n: 1 },
      computedAt: NOW,
      run: 'test',
      ...extra,
    });
    await t.deps.db
      .collection('stats_daily')
      .insertMany([
        row('wenzheng', 'zjj', { department: 'zjj' }),
        row('wenzheng', 'jtj', { department: 'jtj' }),
        row('users', '青溪镇', { area: '青溪镇' }),
        row('users', '白石镇', { area: '白石镇' }),
      ]);
    const res = await editor.agent
      .get('/api/v1/console/exports/stats')
      .query({ format: 'csv', from: DAY, to: DAY, department: 'zjj', area: '青溪镇' })
      .buffer(true)
      .parse(binary);
    const rows = parseCsv((res.body as Buffer).toString('utf8').slice(1));
    expect(rows.filter((r) => r[1] === '问政').map((r) => r[4])).toEqual(['zjj']);
    expect(rows.filter((r) => r[1] === '用户').map((r) => r[3])).toEqual(['青溪镇']);
    // Rows without a department or area are kept: points are nobody's department.
    expect(rows).toContainEqual([DAY, '积分', 'reading', '', '', '发放', '5']);
    await t.deps.db.collection('stats_daily').deleteMany({ run: 'test' });
  });

  it('refuses the audit log to editors, every export to department staff and citizens, and unknown kinds or formats', async () => {
    const editor = await loginAs(t, 'editor');
    expect((await download(editor, 'audit', 'csv')).status).toBe(403);
    for (const role of ['department_staff', 'citizen'] as const) {
      const who = await loginAs(t, role);
      expect({ role, status: (await download(who, 'stats', 'csv')).status }).toEqual({ role, status: 403 });
    }
    expect((await t.request.get('/api/v1/console/exports/stats')).status).toBe(401);
    const unknown = await admin.agent.get('/api/v1/console/exports/passwords');
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const pdf = await admin.agent.get('/api/v1/console/exports/stats').query({ format: 'pdf' });
    expect([pdf.status, pdf.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
