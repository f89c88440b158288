/**
 * Real objects owned by someone, for the authorization matrix (authz-matrix.test.ts): a private 问政 case,
 * a correspondent's piece and assignment, a circle and an application to it, a contest entry, a merchant
 * with a batch and a claimed coupon, a mall redemption, a volunteer team with its activity and a join
 * request, a citizen's comment, an in-app message. `ownedObjects` says, for every owner-scoped route, which of them to call it on.
 */
import { Types } from 'mongoose';
import { approvedMerchant, batchBody } from './coupons-fixtures';
import { createContest, filePhoto, fiveRounds } from './contests-helpers';
import { loginAs, type LoggedIn, type TestContext } from '../harness';

type Json = Record<string, unknown>;
/** Where an owner-scoped route points: path parameters, query and body fields naming someone else's object. */
export interface OwnedTarget {
  ids?: Record<string, string>;
  query?: Record<string, string>;
  body?: Json;
}

async function ok(res: { status: number; body: unknown }, status: number, what: string): Promise<Json> {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Json;
}
const idOf = (body: Json, key: string) => (body[key] as { id: string }).id;

export interface Owned {
  /** For every owner-scoped route ("METHOD /path/{param}"), where it points. */
  routes: Record<string, OwnedTarget>;
  /** Real ids for any route under these paths, so role checks are tried against real objects too. */
  under: Array<[string, Record<string, string>]>;
}

/** Builds the objects (each owned by a fresh user) and answers where each route should point. */
export async function ownedObjects(t: TestContext, admin: LoggedIn): Promise<Owned> {
  const now = t.clock.now();
  const editor = await loginAs(t, 'editor');
  const owner = await loginAs(t, 'citizen');

  // 问政: a private case reported to 宣传部, assigned to 交通局 with 住建局 as co-department.
  for (const [code, extra] of [
    ['jtj', {}],
    ['zjj', {}],
    ['xcb', { propaganda: true }],
  ] as const) {
    await ok(await admin.agent.put(`/api/v1/wenzheng/departments/${code}`).send({ name: `部门${code}`, ...extra }), 200, 'department');
  }
  const xcb = await loginAs(t, 'department_staff', { type: 'department', id: 'xcb' });
  const posted = await ok(
    await owner.agent.post('/api/v1/wenzheng/cases').send({
      category: '交通',
      title: '青溪路口红绿灯坏了',
      text: '青溪镇十字路口的红绿灯已经坏了三天，早晚高峰非常拥堵。',
      visibility: 'private',
    }),
    201,
    'case',
  );
  const caseId = idOf(posted, 'case');
  await ok(
    await editor.agent.post(`/api/v1/wenzheng/cases/${caseId}/forward`).send({ tier: 'propaganda', type: 'complaint', publish: false }),
    200,
    'forward',
  );
  await ok(
    await xcb.agent.post(`/api/v1/wenzheng/cases/${caseId}/assign`).send({ department: 'jtj', coDepartments: ['zjj'] }),
    200,
    'assign',
  );

  // Newsroom: a circle, its correspondent's draft, an assignment to them, an application to the circle.
  const circle = await ok(await admin.agent.post('/api/v1/circles').send({ name: '青溪通讯员圈', description: '青溪镇' }), 201, 'circle');
  const circleId = idOf(circle, 'circle');
  const writer = await loginAs(t, 'correspondent', { type: 'circle', id: circleId });
  const piece = await ok(await writer.agent.post('/api/v1/submissions').send({ title: '青溪镇的秋天' }), 201, 'submission');
  const assignment = await ok(
    await editor.agent.post('/api/v1/assignments').send({ title: '秋收', brief: '拍秋收', assigneeId: writer.user.id }),
    201,
    'assignment',
  );
  const applicant = await loginAs(t, 'citizen');
  const phone = (await (
    await fetch(`${t.wechatUrl}/__fake/phone-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: `139${String(Date.now()).slice(-8)}` }),
    })
  ).json()) as { code: string };
  await ok(await applicant.agent.post('/api/v1/me/phone').send({ code: phone.code }), 200, 'phone');
  const application = await ok(
    await applicant.agent.post('/api/v1/correspondents/applications').send({
      realName: '李青',
      circleId,
      district: '青溪',
      system: '教育',
      domain: '乡村',
      intro: '乡村教师',
      samples: ['《青溪的早晨》'],
    }),
    201,
    'application',
  );

  // A contest in its submission round with one entry.
  const contest = await createContest(t, admin, { rounds: fiveRounds(now) });
  const entry = await filePhoto(t, owner, contest.id);

  // 企业之家: a merchant, its batch, a coupon claimed by `owner`.
  const shop = await approvedMerchant(t, editor);
  const batch = await ok(await shop.owner.agent.post('/api/v1/coupon-batches').send(batchBody(shop.merchantId, now)), 201, 'batch');
  const batchId = idOf(batch, 'batch');
  const claimed = await ok(await owner.agent.post(`/api/v1/coupon-batches/${batchId}/claim`), 201, 'claim');
  const couponId = idOf(claimed, 'coupon');
  const qr = await ok(await owner.agent.get(`/api/v1/coupons/${couponId}/qrcode`), 200, 'coupon qr');

  // Points mall: `owner` redeems goods collected at an outlet.
  await ok(
    await admin.agent
      .post(`/api/v1/admin/users/${owner.user.id}/points/adjustments`)
      .set('Idempotency-Key', `authz-${new Types.ObjectId().toHexString()}`)
      .send({ amount: 100, reason: '测试积分' }),
    201,
    'points',
  );
  const goods = await ok(
    await admin.agent
      .post('/api/v1/admin/mall/goods')
      .send({ name: '保温杯', price: 30, stock: 5, deliveryMode: 'pickup', outletId: 'outlet-authz' }),
    201,
    'goods',
  );
  const redeemed = await ok(
    await owner.agent
      .post(`/api/v1/mall/goods/${idOf(goods, 'goods')}/redeem`)
      .set('Idempotency-Key', `authz-${new Types.ObjectId().toHexString()}`)
      .send({}),
    201,
    'redeem',
  );
  const redemption = redeemed.redemption as { id: string; code: string };

  // Volunteers: a team, its leader's activity, a join request.
  const team = await ok(await admin.agent.post('/api/v1/volunteers/teams').send({ name: '青溪志愿队', area: '青溪镇' }), 201, 'team');
  const teamId = idOf(team, 'team');
  const leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
  const at = (hours: number) => new Date(now.getTime() + hours * 3600_000).toISOString();
  const activityBody = {
    teamId,
    title: '河道清洁',
    placeName: '青溪河',
    startAt: at(48),
    endAt: at(50),
    capacity: 10,
    signUpDeadline: at(24),
    audience: 'public',
    points: { mode: 'fixed', amount: 10 },
  };
  const activity = await ok(await leader.agent.post('/api/v1/volunteers/activities').send(activityBody), 201, 'activity');
  const activityId = idOf(activity, 'activity');
  const joined = await ok(
    await applicant.agent.post(`/api/v1/volunteers/teams/${teamId}/join-requests`).send({ message: '想参加' }),
    201,
    'join',
  );
  const joinId = idOf(joined, 'request');

  // Comments: a citizen's comment on an editor's article.
  const news = await ok(
    await editor.agent
      .post('/api/v1/articles')
      .send({ title: '青溪便民桥通车', column: 'livelihood', body: [{ type: 'paragraph', text: '便民桥今天通车。' }] }),
    201,
    'article',
  );
  const articleId = idOf(news, 'article');
  const remark = await ok(await owner.agent.post(`/api/v1/articles/${articleId}/comments`).send({ text: '桥修得好' }), 201, 'comment');
  const onComment = { ids: { id: idOf(remark, 'comment') } };

  // Messages: an in-app message of the case's poster.
  const message = await t.services.notifications.raise({
    userId: owner.user.id,
    kind: 'wenzheng',
    key: 'authz:message',
    title: '你的问政已受理',
    body: '',
    link: `subpackages/wenzheng/pages/case/index?id=${caseId}`,
  });

  const onCase = { ids: { id: caseId } };
  const onPiece = { ids: { id: idOf(piece, 'submission') } };
  const onMerchant = { ids: { id: shop.merchantId } };
  const onRedemption = { ids: { id: redemption.id } };
  const onTeam = { ids: { id: teamId } };
  const onActivity = { ids: { id: activityId } };
  const under: Owned['under'] = [
    ['/api/v1/wenzheng/cases/{id}', { id: caseId }],
    ['/api/v1/submissions/{id}', onPiece.ids],
    ['/api/v1/assignments/{id}', { id: idOf(assignment, 'assignment') }],
    ['/api/v1/circles/{id}', { id: circleId }],
    ['/api/v1/correspondents/applications/{id}', { id: idOf(application, 'application') }],
    ['/api/v1/contests/{id}', { id: contest.id, entryId: entry.id }],
    ['/api/v1/coupon-batches/{id}', { id: batchId }],
    ['/api/v1/merchants/{id}', onMerchant.ids],
    ['/api/v1/admin/mall/redemptions/{id}', onRedemption.ids],
    ['/api/v1/volunteers/teams/{id}', onTeam.ids],
    ['/api/v1/volunteers/activities/{id}', { id: activityId, userId: owner.user.id }],
    ['/api/v1/volunteers/join-requests/{id}', { id: joinId }],
    ['/api/v1/comments/{id}', onComment.ids],
  ];
  const routes: Owned['routes'] = {
    'POST /api/v1/me/messages/{id}/read': { ids: { id: message.messageId } },
    'POST /api/v1/wenzheng/cases/{id}/rate': onCase,
    'POST /api/v1/wenzheng/cases/{id}/reopen': onCase,
    'POST /api/v1/wenzheng/cases/{id}/accept': onCase,
    'POST /api/v1/wenzheng/cases/{id}/answer': onCase,
    'POST /api/v1/wenzheng/cases/{id}/extension': onCase,
    'POST /api/v1/wenzheng/cases/{id}/decline': { ...onCase, body: { suggestedDepartment: 'zjj' } },
    'POST /api/v1/wenzheng/cases/{id}/assign': { ...onCase, body: { department: 'jtj' } },
    'POST /api/v1/wenzheng/cases/{id}/parts/{code}/accept': { ids: { id: caseId, code: 'zjj' } },
    'POST /api/v1/wenzheng/cases/{id}/parts/{code}/answer': { ids: { id: caseId, code: 'zjj' } },
    'POST /api/v1/wenzheng/cases/{id}/parts/{code}/decline': { ids: { id: caseId, code: 'zjj' }, body: { suggestedDepartment: 'jtj' } },
    'GET /api/v1/wenzheng/queue': { query: { department: 'jtj' } },
    'GET /api/v1/wenzheng/leaders': {},
    'PATCH /api/v1/submissions/{id}': onPiece,
    'GET /api/v1/submissions/{id}': onPiece,
    'POST /api/v1/submissions/{id}/submit': onPiece,
    'POST /api/v1/submissions/{id}/recommend': onPiece,
    'POST /api/v1/submissions/{id}/return': onPiece,
    'GET /api/v1/editorial/queue': { query: { circleId } },
    'POST /api/v1/assignments/{id}/accept': { ids: { id: idOf(assignment, 'assignment') } },
    'POST /api/v1/assignments/{id}/decline': { ids: { id: idOf(assignment, 'assignment') } },
    'POST /api/v1/circles/{id}/announcements': { ids: { id: circleId } },
    'GET /api/v1/correspondents/applications': { query: { circleId } },
    'POST /api/v1/correspondents/applications/{id}/decision': { ids: { id: idOf(application, 'application') } },
    'POST /api/v1/correspondents/applications/decisions': { body: { ids: [idOf(application, 'application')], decision: 'approve' } },
    'POST /api/v1/contests/{id}/entries/{entryId}/shortlist': { ids: { id: contest.id, entryId: entry.id } },
    'PUT /api/v1/contests/{id}/entries/{entryId}/score': { ids: { id: contest.id, entryId: entry.id } },
    'POST /api/v1/coupon-batches': { body: batchBody(shop.merchantId, now) },
    'GET /api/v1/coupon-batches/{id}/stats': { ids: { id: batchId } },
    'GET /api/v1/merchants/{merchantId}/coupon-stats': { ids: { merchantId: shop.merchantId } },
    'GET /api/v1/coupons/{id}/qrcode': { ids: { id: couponId } },
    'POST /api/v1/coupons/redeem': { body: { code: qr.payload as string, merchantId: shop.merchantId } },
    'PATCH /api/v1/merchants/{id}': onMerchant,
    'POST /api/v1/merchants/{id}/clerk-invites': onMerchant,
    'POST /api/v1/merchants/{id}/promotions': onMerchant,
    'GET /api/v1/merchants/{id}/promotions/all': onMerchant,
    'GET /api/v1/me/redemptions/{id}': onRedemption,
    'GET /api/v1/me/redemptions/{id}/qr': onRedemption,
    'POST /api/v1/me/redemptions/{id}/cancel': onRedemption,
    'GET /api/v1/mall/verifications/{code}': { ids: { code: redemption.code } },
    'POST /api/v1/mall/verifications': { body: { code: redemption.code } },
    'GET /api/v1/scopes/{scopeType}/{scopeId}/members': { ids: { scopeType: 'team', scopeId: teamId } },
    'PATCH /api/v1/volunteers/teams/{id}': onTeam,
    'GET /api/v1/volunteers/teams/{id}/members': onTeam,
    'GET /api/v1/volunteers/teams/{id}/join-requests': onTeam,
    'POST /api/v1/volunteers/join-requests/{id}/decision': { ids: { id: joinId } },
    'POST /api/v1/volunteers/activities': { body: activityBody },
    'GET /api/v1/volunteers/activities/{id}/code': onActivity,
    'GET /api/v1/volunteers/activities/{id}/printed-code.png': onActivity,
    'GET /api/v1/volunteers/activities/{id}/roster': onActivity,
    'PATCH /api/v1/volunteers/activities/{id}/roster/{userId}': { ids: { id: activityId, userId: owner.user.id } },
    'POST /api/v1/volunteers/activities/{id}/confirm': onActivity,
    'DELETE /api/v1/comments/{id}': onComment,
  };
  return { routes, under };
}
