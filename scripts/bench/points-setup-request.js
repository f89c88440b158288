/**
 * autocannon setupRequest for `npm run bench -- points` (runs inside autocannon's worker, so plain CommonJS):
 * each redemption goes as a random bench user to a random goods item, with a fresh Idempotency-Key.
 */
const { randomUUID } = require('node:crypto');

const users = JSON.parse(process.env.BENCH_POINTS_USERS || '[]');
const goods = JSON.parse(process.env.BENCH_POINTS_GOODS || '[]');

module.exports = function setupRequest(req) {
  const user = users[Math.floor(Math.random() * users.length)];
  const goodsId = goods[Math.floor(Math.random() * goods.length)];
  req.method = 'POST';
  req.path = `/api/v1/mall/goods/${goodsId}/redeem`;
  req.headers = {
    ...req.headers,
    'content-type': 'application/json',
    authorization: `Bearer ${user.token}`,
    'x-bench-user': user.id,
    'idempotency-key': `bench-${randomUUID()}`,
  };
  req.body = '{}';
  return req;
};
