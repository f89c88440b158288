/**
 * The jury by name (GET /api/v1/contests/:id/jurors) for the console's 比赛管理: editors and admins see who was
 * appointed, in appointment order, by nickname and console username; every other role is refused, a malformed id
 * is a 400 and a missing contest a 404.
 */
import { jurorListResponseSchema } from '@shared/schemas/contests';
import { ROLES, type Role } from '@shared/roles';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { DAY, as, createContest, fiveRounds } from './contests-helpers';

let t: TestContext;
let admin: LoggedIn;
const START = new Date('2026-06-01T00:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

describe('a contest jury by name', () => {
  it('lists the appointed jurors in appointment order for editors and admins', async () => {
    const contest = await createContest(t, admin, { rounds: fiveRounds(new Date(START.getTime() + DAY)) });
    const empty = await (await as(t, admin)).get(`/api/v1/contests/${contest.id}/jurors`).expect(200);
    expect(jurorListResponseSchema.parse(empty.body)).toEqual({ items: [], nextCursor: null });

    const first = await loginAs(t, 'citizen', undefined, { nickname: '评委甲' });
    const second = await loginAs(t, 'editor', undefined, { nickname: '评委乙' });
    for (const juror of [first, second, first])
      await (await as(t, admin)).post(`/api/v1/contests/${contest.id}/jurors`).send({ userId: juror.user.id }).expect(200);

    const editor = await loginAs(t, 'editor');
    for (const who of [editor, admin]) {
      const res = await (await as(t, who)).get(`/api/v1/contests/${contest.id}/jurors`).expect(200);
      const { items, nextCursor } = jurorListResponseSchema.parse(res.body);
      expect(nextCursor).toBeNull();
      expect(items.map((j) => [j.id, j.nickname])).toEqual([
        [first.user.id, '评委甲'],
        [second.user.id, '评委乙'],
      ]);
    }
  });

  it('refuses anonymous callers and every role but editor and admin', async () => {
    const contest = await createContest(t, admin, { rounds: fiveRounds(new Date(START.getTime() + DAY)) });
    const path = `/api/v1/contests/${contest.id}/jurors`;
    const anonymous = await t.request.get(path);
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'AUTH_REQUIRED']);
    const others = ROLES.filter((r): r is Exclude<Role, 'editor' | 'admin'> => r !== 'editor' && r !== 'admin');
    expect(others.length).toBe(ROLES.length - 2);
    for (const role of others) {
      const res = await (await as(t, await loginAs(t, role))).get(path);
      expect({ role, status: res.status, code: res.body.error?.code }).toEqual({ role, status: 403, code: 'FORBIDDEN' });
    }
  });

  it('answers a malformed id with 400 and a contest that does not exist with 404', async () => {
    const editor = await as(t, await loginAs(t, 'editor'));
    const bad = await editor.get('/api/v1/contests/not-an-id/jurors');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const missing = await editor.get('/api/v1/contests/0123456789abcdef01234567/jurors');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'CONTEST_NOT_FOUND']);
  });
});
