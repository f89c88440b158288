import { randomBytes } from 'node:crypto';
import type { MerchantCategory } from '@shared/schemas/merchants';
import type { RoleHolder } from '../../../server/src/core/auth';
import { allPages } from '../../../server/src/core/db';
import { COUNTY } from '../county';
import { SEED_PICTURES, seedImage, seedUpload } from '../images/store';
import type { SeedStep } from '../types';

/** Shop owners sign in to the console (merchant roles are staff roles); known password in development only. */
const DEV_PASSWORD = 'rongmei-merchant-dev';

// Around the county seat (城关街道), a few hundred metres to a few kilometres apart so distance sorting shows.
const SHOPS: ReadonlyArray<{
  username: string;
  name: string;
  category: MerchantCategory;
  address: string;
  lng: number;
  lat: number;
  hours: string;
  promotion: { kind: '开业' | '促销' | '庆典'; title: string; body: string };
}> = [
  {
    username: 'shop-mifen',
    name: '老街米粉店',
    category: '餐饮',
    address: '城关街道文昌路 12 号',
    lng: 116.3251,
    lat: 26.8382,
    hours: '06:30-14:00',
    promotion: { kind: '开业', title: '新店开业', body: '老街米粉新店开业，前三天每碗立减 2 元。' },
  },
  {
    username: 'shop-jiujia',
    name: '滨江酒家',
    category: '餐饮',
    address: '城关街道滨江路 88 号',
    lng: 116.3302,
    lat: 26.8415,
    hours: '10:30-21:30',
    promotion: { kind: '促销', title: '冬季火锅季', body: '滨江酒家冬季火锅季，四人套餐 198 元。' },
  },
  {
    username: 'shop-chaoshi',
    name: '青川百货超市',
    category: '零售',
    address: '河西街道新华路 3 号',
    lng: 116.3187,
    lat: 26.8351,
    hours: '08:00-22:00',
    promotion: { kind: '庆典', title: '十周年店庆', body: '青川百货十周年店庆，全场满 100 减 10。' },
  },
  {
    username: 'shop-minsu',
    name: '青溪河畔民宿',
    category: '文旅',
    address: '青溪镇竹林村 5 组',
    lng: 116.3803,
    lat: 26.8702,
    hours: '全天',
    promotion: { kind: '促销', title: '周末游', body: '青溪河畔民宿周末入住送竹林早餐。' },
  },
  {
    username: 'shop-jiadian',
    name: '白石家电城',
    category: '家居家电',
    address: '白石镇白石社区商业街 20 号',
    lng: 116.2905,
    lat: 26.8153,
    hours: '08:30-20:00',
    promotion: { kind: '促销', title: '以旧换新', body: '冰箱洗衣机以旧换新，最高补贴 500 元。' },
  },
  {
    username: 'shop-qixiu',
    name: '龙潭汽修',
    category: '汽车',
    address: '龙潭镇龙潭村国道旁',
    lng: 116.3455,
    lat: 26.8019,
    hours: '08:00-18:00',
    promotion: { kind: '促销', title: '冬季保养', body: '冬季车辆保养检测免费，更换机油送玻璃水。' },
  },
];

const DAY = 86_400_000;

/** 企业之家: six approved shops with owners, a published promotion each, merchant coupons and 政府消费券 (grab + lottery). */
export const merchantsSeed: SeedStep = {
  name: 'merchants',
  async run({ deps, services, log }) {
    const { users, merchants, coupons } = services;
    const editorView = await users.findByUsername('editor');
    const adminView = await users.findByUsername('admin');
    if (!editorView || !adminView) throw new Error('merchants seed needs the identity step (editor, admin)');
    const editor: RoleHolder = { id: editorView.id, roles: [{ role: 'editor' }] };
    const admin: RoleHolder = { id: adminView.id, roles: [{ role: 'admin' }] };

    const shopIds: string[] = [];
    for (const shop of SHOPS) {
      let owner = await users.findByUsername(shop.username);
      if (!owner) {
        const password = deps.config.isProduction ? randomBytes(12).toString('base64url') : DEV_PASSWORD;
        owner = await users.createStaff(null, { username: shop.username, password, nickname: `${shop.name}店主`, roles: [] });
      }
      const applicant: RoleHolder = { id: owner.id, roles: [] };
      const existing = (await merchants.mine(applicant)).find((m) => m.name === shop.name);
      let merchantId = existing?.id;
      // The shop front (drawn for it, scripts/seed/images/shop-N.png) and a view of the county, as the owner's uploads.
      const [ownerId, n] = [owner.id, shopIds.length];
      const photos = async () => [
        await seedImage(services, ownerId, `shop-${n}.png`),
        await seedImage(services, ownerId, `contest-${n % SEED_PICTURES}.png`),
      ];
      if (!merchantId) {
        const applied = await merchants.apply(applicant, {
          name: shop.name,
          category: shop.category,
          address: `${COUNTY.name}${shop.address}`,
          location: { lng: shop.lng, lat: shop.lat },
          hours: shop.hours,
          phone: '0794-3621234',
          photos: await photos(),
          licenceNo: `91361030MA35${String(shopIds.length).padStart(5, '0')}X`,
          // The drawn licence (scripts/seed/images/licence.png), uploaded by the owner as the app's picker would.
          licencePhotoFileId: (await seedUpload(services, ownerId, 'licence.png')).id,
          intro: `${shop.name}，${COUNTY.name}本地商户。`,
        });
        merchantId = applied.id;
      }
      if ((existing?.state ?? 'pending') === 'pending') await merchants.decide(editor, merchantId, 'approve');
      shopIds.push(merchantId);
      const ownerRoles: RoleHolder = { id: owner.id, roles: [{ role: 'merchant_owner', scope: { type: 'merchant', id: merchantId } }] };
      // Seeded before shops had photos: give them theirs.
      if (existing && existing.photos.length === 0) await merchants.update(ownerRoles, merchantId, { photos: await photos() });
      if ((await merchants.promotions(merchantId, { limit: 1 })).items.length === 0) {
        const promo = await merchants.createPromotion(ownerRoles, merchantId, { ...shop.promotion, photos: [] });
        await merchants.reviewPromotion(editor, promo.id, 'publish');
      }
      const titles = new Set(
        (await allPages((cursor) => coupons.listBatches({ merchantId, include: 'all', cursor, limit: 100 }))).map((b) => b.title),
      );
      const title = `${shop.name} 满 50 减 10`;
      if (!titles.has(title)) {
        const now = deps.clock.now();
        await coupons.createBatch(ownerRoles, {
          title,
          kind: 'spend_x_save_y',
          value: 1000,
          threshold: 5000,
          totalStock: 200,
          perUserLimit: 1,
          claimStartsAt: new Date(now.getTime() - DAY).toISOString(),
          claimEndsAt: new Date(now.getTime() + 30 * DAY).toISOString(),
          validity: { type: 'relative', days: 7 },
          issuer: { type: 'merchant', merchantId },
          mode: 'grab',
        });
      }
    }
    log(
      `${shopIds.length} approved shops with promotions and coupons (owners sign in as shop-* / ${deps.config.isProduction ? 'random passwords' : DEV_PASSWORD})`,
    );

    const government = new Set(
      (await allPages((cursor) => coupons.listBatches({ issuer: 'government', include: 'all', cursor, limit: 100 }))).map((b) => b.title),
    );
    const now = deps.clock.now();
    const consumption = [
      { title: `${COUNTY.name}消费券 满 200 减 50`, mode: 'grab' as const, totalStock: 1000, ends: 7 * DAY },
      { title: `${COUNTY.name}家电消费券（抽签）满 2000 减 300`, mode: 'lottery' as const, totalStock: 50, ends: 3 * DAY },
    ];
    for (const c of consumption) {
      if (government.has(c.title)) continue;
      await coupons.createBatch(admin, {
        title: c.title,
        kind: 'spend_x_save_y',
        value: c.mode === 'grab' ? 5000 : 30000,
        threshold: c.mode === 'grab' ? 20000 : 200000,
        totalStock: c.totalStock,
        perUserLimit: 1,
        claimStartsAt: new Date(now.getTime() - 3600_000).toISOString(),
        claimEndsAt: new Date(now.getTime() + c.ends).toISOString(),
        validity: { type: 'fixed', from: now.toISOString(), until: new Date(now.getTime() + 60 * DAY).toISOString() },
        issuer: { type: 'government', merchantIds: shopIds },
        mode: c.mode,
      });
    }
    log('government consumption coupons: one grab release, one lottery release');
  },
};
