/**
 * The admin lists the console pages through. GET /api/v1/admin/users: `{ items, nextCursor }`, newest first;
 * walking every page while accounts are created between pages loses no user and repeats none; bad cursors are
 * refused with VALIDATION_FAILED; only admins may list. GET /api/v1/admin/audit: filtered by actor and by a
 * date range; a reversed range refused with its message on `to`.
 */
import { userListResponseSchema, type UserView } from '@shared/schemas/users';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;

beforeAll(async () => {
  t = await createTestContext();
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

let made = 0;
async function staff(prefix: string): Promise<string> {
  made += 1;
  const res = await admin.agent
    .post('/api/v1/admin/staff')
    .send({ username: `${prefix}${made}`, password: 'long-enough-password', nickname: `${prefix}${made}` });
  expect(res.status).toBe(201);
  return res.body.user.id as string;
}

async function page(query: Record<string, string | number>) {
  const res = await admin.agent.get('/api/v1/admin/users').query(query);
  expect(res.status).toBe(200);
  return userListResponseSchema.parse(res.body);
}

describe('GET /api/v1/admin/users paging', () => {
  it('walks every page with no user lost or repeated while users are created between pages', async () => {
    const before: string[] = [];
    for (let i = 0; i < 11; i += 1) before.push(await staff('pagea'));
    const seen: UserView[] = [];
    const createdDuring: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Awaited<ReturnType<typeof page>> = await page({ q: 'pagea', limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...p.items);
      cursor = p.nextCursor;
      pages += 1;
      // A new account while the admin reads: it belongs after the first page, never inside the walk.
      createdDuring.push(await staff('pagea'));
    } while (cursor);
    const ids = seen.map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...before].sort());
    expect(pages).toBe(4);
    // Newest first, and the accounts created meanwhile are on a fresh first page.
    expect(ids).toEqual([...before].reverse());
    const fresh = await page({ q: 'pagea', limit: 100 });
    expect(fresh.items.map((u) => u.id)).toEqual([...before, ...createdDuring].reverse());
    expect(fresh.nextCursor).toBeNull();
  });

  it('refuses a malformed cursor and limit with VALIDATION_FAILED, and non-admins with 403', async () => {
    for (const query of [{ cursor: 'nope' }, { limit: 0 }, { limit: 101 }]) {
      const res = await admin.agent.get('/api/v1/admin/users').query(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
    for (const role of ['citizen', 'editor', 'department_staff'] as const) {
      const who = await loginAs(t, role);
      expect((await who.agent.get('/api/v1/admin/users')).status).toBe(403);
    }
  });
});

describe('GET /api/v1/admin/audit filters', () => {
  it('filters by actor and by a date range on the business clock; a reversed range is refused next to `to`', async () => {
    const target = await loginAs(t, 'citizen');
    const start = t.clock.now();
    await admin.agent.post(`/api/v1/admin/users/${target.user.id}/roles`).send({ role: 'volunteer' }).expect(200);
    t.clock.advance(2 * 86_400_000);
    // Access tokens live 15 minutes on the business clock: sign the admin in again.
    admin = await loginAs(t, 'citizen', undefined, { openid: admin.openid });
    await admin.agent.post(`/api/v1/admin/users/${target.user.id}/disable`).send({}).expect(200);
    const at = (ms: number) => new Date(start.getTime() + ms).toISOString();
    const audit = (query: Record<string, string>) => admin.agent.get('/api/v1/admin/audit').query(query);

    const within = await audit({ actorId: admin.user.id, targetId: target.user.id, from: at(0), to: at(86_400_000) });
    expect(within.status).toBe(200);
    expect(within.body.items.map((e: { action: string }) => e.action)).toEqual(['role.grant']);
    const later = await audit({ targetId: target.user.id, from: at(86_400_000) });
    expect(later.body.items.map((e: { action: string }) => e.action)).toEqual(['user.disable']);
    const otherActor = await audit({ targetId: target.user.id, actorId: target.user.id });
    expect(otherActor.body.items).toEqual([]);

    const reversed = await audit({ from: at(86_400_000), to: at(0) });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(reversed.body.error.details)).toContain('结束时间须晚于开始时间');
    expect((await audit({ from: 'yesterday' })).status).toBe(400);
  });
});
