import type { GoodsBody } from '@shared/schemas/points';
import { GoodsModel } from '../../../server/src/modules/mall/mall.model';
import { COUNTY } from '../county';
import { ensureStaff } from '../people';
import type { SeedStep } from '../types';

/** The centre's service counter: the outlet its pickup goods are handed over at. */
export const SEED_OUTLET = { type: 'outlet' as const, id: 'county-centre' };
const CLERK = { username: 'mallclerk', devPassword: 'rongmei-clerk-dev', nickname: `${COUNTY.mediaCentre}服务台` };

const GOODS: ReadonlyArray<Omit<GoodsBody, 'images' | 'activeFrom' | 'activeUntil'>> = [
  {
    name: '融媒中心文创帆布袋',
    description: '印有本县风光的帆布袋，到融媒中心一楼服务台领取。',
    price: 200,
    stock: 100,
    perUserLimit: 1,
    deliveryMode: 'pickup',
    outletId: SEED_OUTLET.id,
  },
  {
    name: '县城公交一日票',
    description: '当日不限次乘坐县城公交，到服务台领取。',
    price: 80,
    stock: 300,
    perUserLimit: 2,
    deliveryMode: 'pickup',
    outletId: SEED_OUTLET.id,
  },
  {
    name: '本地高山绿茶 100 克',
    description: '县茶叶合作社出品，兑换后三个工作日内寄出。',
    price: 500,
    stock: 40,
    perUserLimit: 1,
    deliveryMode: 'ship',
    outletId: null,
  },
];

/**
 * Points mall goods, a counter clerk for the centre's outlet, and (outside production) some points for the
 * seeded citizens so the mall can be tried at once. Idempotent: goods by name, clerk by username, credits
 * by idempotency key.
 */
export const pointsSeed: SeedStep = {
  name: 'points',
  async run(ctx) {
    const { deps, log } = ctx;
    const { mall, users, points } = ctx.services;
    const system = { id: '000000000000000000000000', roles: [{ role: 'admin' as const }] };
    for (const goods of GOODS) {
      if (await GoodsModel.exists({ name: goods.name })) continue;
      await mall.createGoods(system, { ...goods, images: [], activeFrom: null, activeUntil: null });
    }
    log(`${GOODS.length} goods`);

    await ensureStaff(ctx, {
      username: CLERK.username,
      nickname: CLERK.nickname,
      roles: [{ role: 'merchant_clerk', scope: SEED_OUTLET }],
      devPassword: CLERK.devPassword,
    });

    if (deps.config.isProduction) return;
    const citizens = await users.list({ role: 'citizen', limit: 20 });
    let credited = 0;
    for (const citizen of citizens.items) {
      const r = await points.earn({
        userId: citizen.id,
        source: 'civic',
        amount: 30,
        reason: '参加“文明城市”志愿宣讲（演示数据）',
        ref: { type: 'seed', id: 'welcome' },
        idempotencyKey: `seed:points:${citizen.id}`,
      });
      if (r.status === 'credited') credited += 1;
    }
    log(`${credited} citizens credited`);
  },
};
