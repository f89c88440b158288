/**
 * Admin-configured columns (栏目) over HTTP on the real stack: the six defaults seeded into a fresh database, the
 * public list (cached with the feed, invalidated by every change, in this process at once and in another after its
 * version check), admins' create / rename / switch off / 首页 tab / reorder / delete with their refusals, the feed
 * and new articles accepting exactly the enabled columns, the audit trail, and every admin route refusing every
 * other role.
 */
import { ROLES, type Role } from '@shared/roles';
import {
  columnListResponseSchema,
  columnResponseSchema,
  DEFAULT_COLUMNS,
  feedResponseSchema,
  MAX_COLUMNS,
  publicColumnListResponseSchema,
} from '@shared/schemas/newsroom';
import { AuditLogModel } from '../../server/src/modules/audit/audit.model';
import { ColumnModel } from '../../server/src/modules/newsroom/column.model';
import { createColumns } from '../../server/src/modules/newsroom/columns';
import { createFeedCache } from '../../server/src/modules/newsroom/feed-cache';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext();
  admin = await loginAs(t, 'admin');
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

async function publicColumns() {
  const res = await t.request.get('/api/v1/columns');
  expect(res.status).toBe(200);
  return publicColumnListResponseSchema.parse(res.body).items;
}

async function adminColumns() {
  const res = await admin.agent.get('/api/v1/admin/columns');
  expect(res.status).toBe(200);
  return columnListResponseSchema.parse(res.body).items;
}

let seq = 0;
async function addColumn(body: Record<string, unknown> = {}) {
  seq += 1;
  const res = await admin.agent.post('/api/v1/admin/columns').send({ key: `col-${seq}`, name: `栏目${seq}`, ...body });
  expect(res.status).toBe(201);
  return columnResponseSchema.parse(res.body).column;
}

function writeArticle(column: string) {
  return editor.agent.post('/api/v1/articles').send({ title: `${column}的文章`, column, body: [{ type: 'paragraph', text: '正文。' }] });
}

describe('the default columns', () => {
  it('are seeded once into a fresh database, in the old fixed order, with their Chinese names', async () => {
    const items = await publicColumns();
    expect(items.map((c) => c.key)).toEqual([...DEFAULT_COLUMNS]);
    expect(items.map((c) => c.name)).toEqual(['头条', '通讯员', '企业之家', '政务', '民生', '文旅']);
    // 通讯员 and 政务 are the fixed 本地 and 服务 tabs already.
    expect(items.filter((c) => c.homeTab).map((c) => c.key)).toEqual(['headline', 'enterprise', 'livelihood', 'culture']);
    const all = await adminColumns();
    expect(all.every((c) => c.builtin && c.enabled)).toBe(true);
    expect(await t.services.newsroom.columns.list()).toHaveLength(DEFAULT_COLUMNS.length);
    expect(await ColumnModel.countDocuments()).toBe(DEFAULT_COLUMNS.length);
  });

  it('come back when the collection is emptied under a running process (a restore without it)', async () => {
    await ColumnModel.deleteMany({});
    expect((await t.services.newsroom.columns.list()).map((c) => c.key)).toEqual([...DEFAULT_COLUMNS]);
  });
});

describe('POST /api/v1/admin/columns', () => {
  it('adds a column that the public list, the feed and new articles accept at once (the cached list is invalidated)', async () => {
    await publicColumns(); // warm the cache
    expect((await t.request.get('/api/v1/feed').query({ column: 'sports' })).status).toBe(422);
    expect((await writeArticle('sports')).body.error.code).toBe('COLUMN_UNKNOWN');

    const res = await admin.agent.post('/api/v1/admin/columns').send({ key: 'sports', name: '体育' });
    expect(res.status).toBe(201);
    const column = columnResponseSchema.parse(res.body).column;
    expect(column).toMatchObject({ key: 'sports', name: '体育', enabled: true, homeTab: true, builtin: false });
    expect(column.order).toBe(Math.max(...(await adminColumns()).filter((c) => c.key !== 'sports').map((c) => c.order)) + 1);

    expect((await publicColumns()).at(-1)).toEqual({ key: 'sports', name: '体育', homeTab: true });
    const article = await writeArticle('sports');
    expect(article.status).toBe(201);
    const feed = await t.request.get('/api/v1/feed').query({ column: 'sports' });
    expect(feed.status).toBe(200);
    expect(feedResponseSchema.parse(feed.body).items.map((a) => a.id)).toEqual([article.body.article.id]);

    const audit = await AuditLogModel.findOne({ action: 'column.create', targetId: 'sports' }).lean();
    expect(audit?.actorId?.toHexString()).toBe(admin.user.id);
    // The audit log names the column.
    const log = await admin.agent.get('/api/v1/admin/audit').query({ action: 'column.create' });
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({ action: 'column.create', target: { type: 'column', id: 'sports', label: '体育' } });
  });

  it('refuses bad keys and names under their fields and a taken key with 409', async () => {
    for (const [body, path] of [
      [{ key: 'Sports', name: '体育' }, 'key'],
      [{ key: '1abc', name: '体育' }, 'key'],
      [{ key: 'a', name: '体育' }, 'key'],
      [{ key: 'okay-key', name: '' }, 'name'],
      [{ key: 'okay-key', name: '一个非常非常长的栏目名称' }, 'name'],
      [{ key: 'okay-key', name: '好', extra: 1 }, ''],
    ] as const) {
      const res = await admin.agent.post('/api/v1/admin/columns').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      if (path) expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const taken = await admin.agent.post('/api/v1/admin/columns').send({ key: 'culture', name: '又一个文旅' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'COLUMN_KEY_TAKEN', message: '栏目标识已被使用' });
  });
});

describe('PATCH /api/v1/admin/columns/:key', () => {
  it('renames at once in the public list, switches a column off (feed and articles refuse it) and on again', async () => {
    const col = await addColumn();
    await publicColumns();
    const renamed = await admin.agent.patch(`/api/v1/admin/columns/${col.key}`).send({ name: '乡村振兴' });
    expect(renamed.status).toBe(200);
    expect((await publicColumns()).find((c) => c.key === col.key)?.name).toBe('乡村振兴');

    expect((await admin.agent.patch(`/api/v1/admin/columns/${col.key}`).send({ enabled: false })).status).toBe(200);
    expect((await publicColumns()).some((c) => c.key === col.key)).toBe(false);
    expect((await adminColumns()).find((c) => c.key === col.key)?.enabled).toBe(false);
    const feed = await t.request.get('/api/v1/feed').query({ column: col.key });
    expect(feed.status).toBe(422);
    expect(feed.body.error.code).toBe('COLUMN_UNKNOWN');
    expect((await writeArticle(col.key)).status).toBe(422);

    expect((await admin.agent.patch(`/api/v1/admin/columns/${col.key}`).send({ enabled: true, homeTab: false })).status).toBe(200);
    expect((await publicColumns()).find((c) => c.key === col.key)).toEqual({ key: col.key, name: '乡村振兴', homeTab: false });
    expect((await writeArticle(col.key)).status).toBe(201);
  });

  it('answers an unknown column 404 COLUMN_NOT_FOUND, an empty or unknown change 400', async () => {
    const missing = await admin.agent.patch('/api/v1/admin/columns/nothing-here').send({ name: '无' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('COLUMN_NOT_FOUND');
    for (const body of [{}, { key: 'renamed' }, { enabled: 'yes' }]) {
      const res = await admin.agent.patch('/api/v1/admin/columns/culture').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it("reaches another API process's cached list once it re-reads the feed version", async () => {
    const col = await addColumn();
    const there = t.deps.redis.duplicate();
    try {
      const other = createColumns({
        clock: t.clock,
        cache: createFeedCache(there, t.clock, { versionCheckMs: 0, versionWaitMs: 0 }),
        audit: t.services.audit,
      });
      const names = async () =>
        publicColumnListResponseSchema.parse(JSON.parse((await other.publicJson()).body.toString())).items.find((c) => c.key === col.key)
          ?.name;
      expect(await names()).toBe(col.name);
      await admin.agent.patch(`/api/v1/admin/columns/${col.key}`).send({ name: '改了名' }).expect(200);
      expect(await names()).toBe('改了名');
    } finally {
      await there.quit();
    }
  });
});

describe('PUT /api/v1/admin/columns/order', () => {
  it('puts the columns in the order given; the public list follows at once', async () => {
    const keys = (await adminColumns()).map((c) => c.key);
    const reversed = [...keys].reverse();
    await publicColumns();
    const res = await admin.agent.put('/api/v1/admin/columns/order').send({ keys: reversed });
    expect(res.status).toBe(200);
    expect(columnListResponseSchema.parse(res.body).items.map((c) => c.key)).toEqual(reversed);
    const enabled = new Set((await adminColumns()).filter((c) => c.enabled).map((c) => c.key));
    expect((await publicColumns()).map((c) => c.key)).toEqual(reversed.filter((k) => enabled.has(k)));
    await admin.agent.put('/api/v1/admin/columns/order').send({ keys }).expect(200);
  });

  it('refuses a list missing a column or naming an unknown one (stale, 409) and duplicates (400)', async () => {
    const keys = (await adminColumns()).map((c) => c.key);
    for (const stale of [keys.slice(1), [...keys.slice(1), 'not-a-column']]) {
      const res = await admin.agent.put('/api/v1/admin/columns/order').send({ keys: stale });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('COLUMN_ORDER_STALE');
    }
    const dup = await admin.agent.put('/api/v1/admin/columns/order').send({ keys: [...keys, keys[0]] });
    expect(dup.status).toBe(400);
    expect((await adminColumns()).map((c) => c.key)).toEqual(keys);
  });
});

describe('DELETE /api/v1/admin/columns/:key', () => {
  it('deletes an unused added column; refuses a default (switch it off instead), a used one and a missing one', async () => {
    const unused = await addColumn();
    expect((await admin.agent.delete(`/api/v1/admin/columns/${unused.key}`)).status).toBe(204);
    expect((await adminColumns()).some((c) => c.key === unused.key)).toBe(false);
    expect((await publicColumns()).some((c) => c.key === unused.key)).toBe(false);

    const builtin = await admin.agent.delete('/api/v1/admin/columns/headline');
    expect(builtin.status).toBe(409);
    expect(builtin.body.error.code).toBe('COLUMN_BUILTIN');

    const used = await addColumn();
    expect((await writeArticle(used.key)).status).toBe(201);
    const inUse = await admin.agent.delete(`/api/v1/admin/columns/${used.key}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'COLUMN_IN_USE', message: '栏目下还有文章，不能删除，可以停用' });

    expect((await admin.agent.delete(`/api/v1/admin/columns/${unused.key}`)).status).toBe(404);
  });
});

describe('authorization', () => {
  const others = ROLES.filter((r): r is Exclude<Role, 'admin'> => r !== 'admin');
  const calls = [
    ['get', '/api/v1/admin/columns', undefined],
    ['post', '/api/v1/admin/columns', { key: 'nope', name: '不行' }],
    ['patch', '/api/v1/admin/columns/culture', { name: '不行' }],
    ['put', '/api/v1/admin/columns/order', { keys: ['culture'] }],
    ['delete', '/api/v1/admin/columns/culture', undefined],
  ] as const;

  it('refuses anonymous callers with 401 and every role but admin with 403, changing nothing', async () => {
    const before = await adminColumns();
    for (const [method, path, body] of calls) {
      const anon = await t.request[method](path).send(body);
      expect(anon.status).toBe(401);
    }
    for (const role of others) {
      const who = await loginAs(t, role);
      for (const [method, path, body] of calls) {
        const res = await who.agent[method](path).send(body);
        expect({ role, method, path, status: res.status, code: res.body.error?.code }).toEqual({
          role,
          method,
          path,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    }
    expect(await adminColumns()).toEqual(before);
  });
});

describe('the column limit', () => {
  it(`refuses a column beyond ${MAX_COLUMNS} with 409 COLUMN_LIMIT`, async () => {
    let count = (await adminColumns()).length;
    while (count < MAX_COLUMNS) {
      await addColumn();
      count += 1;
    }
    const res = await admin.agent.post('/api/v1/admin/columns').send({ key: 'one-too-many', name: '多余' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('COLUMN_LIMIT');
    expect(await adminColumns()).toHaveLength(MAX_COLUMNS);
  });
});
