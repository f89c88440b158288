/**
 * GET /api/v1/console/todo: the staff console's badges. Each caller gets the counts of the queues their roles
 * own and no other key; the submission and promotion counts follow their queues; citizens, correspondents and merchants are
 * refused (403), anonymous callers 401.
 */
import { ROLES } from '@shared/roles';
import { consoleTodoResponseSchema } from '@shared/schemas/console';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { approvedMerchant } from './coupons-fixtures';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ now: new Date('2026-11-24T01:00:00Z') });
});
afterAll(() => t.close());

async function todo(who: LoggedIn) {
  const res = await who.agent.get('/api/v1/console/todo');
  expect(res.status).toBe(200);
  return consoleTodoResponseSchema.parse(res.body).counts;
}

async function fileAndSubmit(writer: LoggedIn, title: string): Promise<string> {
  const res = await writer.agent
    .post('/api/v1/submissions')
    .send({ title, body: '正文。', copyright: 'non_exclusive', originalityStatement: true });
  expect(res.status).toBe(201);
  const id = res.body.submission.id as string;
  expect((await writer.agent.post(`/api/v1/submissions/${id}/submit`).send({})).status).toBe(200);
  return id;
}

describe('GET /api/v1/console/todo', () => {
  it("gives editors the review queues' counts; the submission count follows the queue", async () => {
    const editor = await loginAs(t, 'editor');
    const before = await todo(editor);
    expect(Object.keys(before).sort()).toEqual(
      ['correspondentApplications', 'merchantApplications', 'promotions', 'submissions', 'wenzhengOverdue', 'wenzhengTriage'].sort(),
    );
    const writer = await loginAs(t, 'correspondent');
    await fileAndSubmit(writer, '城关镇冬季义诊');
    await fileAndSubmit(writer, '青溪镇修好了村道');
    expect((await todo(editor)).submissions).toBe((before.submissions ?? 0) + 2);
    // Admins own every queue.
    const admin = await loginAs(t, 'admin');
    expect((await todo(admin)).submissions).toBe((before.submissions ?? 0) + 2);
  });

  it('counts promotions awaiting review: a new one adds, a (batch) review takes away', async () => {
    const editor = await loginAs(t, 'editor');
    const before = (await todo(editor)).promotions ?? 0;
    const shop = await approvedMerchant(t, editor, { name: '旴江照相馆' });
    const post = async (title: string) =>
      (
        await shop.owner.agent
          .post(`/api/v1/merchants/${shop.merchantId}/promotions`)
          .send({ kind: '促销', title, body: '证件照买一送一' })
          .expect(201)
      ).body.promotion.id as string;
    const ids = [await post('周末特惠'), await post('新品上架'), await post('周年庆')];
    expect((await todo(editor)).promotions).toBe(before + 3);
    await editor.agent
      .post('/api/v1/promotions/decisions')
      .send({ ids: ids.slice(0, 2), decision: 'publish' })
      .expect(200);
    expect((await todo(editor)).promotions).toBe(before + 1);
  });

  it('gives department staff only their overdue 问政 count', async () => {
    const staff = await loginAs(t, 'department_staff', { type: 'department', id: 'zjj' });
    expect(await todo(staff)).toEqual({ wenzhengOverdue: 0 });
  });

  it('refuses roles that own no console queue (403) and anonymous callers (401)', async () => {
    // Every role but the three that own a queue (editor, department_staff, admin).
    for (const role of ROLES.filter((r) => !['editor', 'department_staff', 'admin'].includes(r))) {
      const who = await loginAs(t, role);
      const res = await who.agent.get('/api/v1/console/todo');
      expect({ role, status: res.status, code: res.body.error?.code }).toEqual({ role, status: 403, code: 'FORBIDDEN' });
    }
    const anon = await t.request.get('/api/v1/console/todo');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('AUTH_REQUIRED');
  });
});
