import type { ArticleBlock, ArticleColumn } from '@shared/schemas/newsroom';
import { Types } from 'mongoose';
import { COUNTY, personName } from '../county';
import { SEED_PICTURES, seedImage } from '../images/store';
import { ensureCitizen } from '../people';
import type { SeedStep } from '../types';

interface SeedArticle {
  key: string;
  column: ArticleColumn;
  title: string;
  paragraphs: string[];
  /** Correspondent pieces: which circle's correspondent wrote it (index into CIRCLES); the rest are by the centre's editors. */
  by?: number;
  place?: string;
  hoursAgo: number;
  reads: number;
  likes: number;
  /** Pinned to the home carousel. */
  pinned?: boolean;
  /** A video of ours (scripts/seed/images, made by make-video.sh) at the top, its poster as the cover. */
  video?: { file: string; poster: string };
}

const C = COUNTY;

const ARTICLES: readonly SeedArticle[] = [
  {
    key: 'headline-river-bridge',
    column: 'headline',
    title: `${C.name}青溪大桥建成通车，两岸群众出行时间缩短半小时`,
    paragraphs: [
      `11月18日上午，${C.name}青溪大桥正式建成通车。大桥全长680米，连接青溪镇与城关街道，是今年县级重点民生工程之一。`,
      '通车后，青溪镇竹林村、石桥村群众到县城办事、就医、上学的时间由过去的五十分钟缩短到二十分钟左右。',
      '县交通运输局表示，下一步将同步完善桥头公交站点和慢行步道，确保群众“走得通、走得好”。',
    ],
    place: '青溪镇',
    hoursAgo: 2,
    pinned: true,
    reads: 3821,
    likes: 412,
  },
  {
    key: 'headline-winter-heating',
    column: 'headline',
    title: '县城集中供暖提前5天启动 首批覆盖12个小区',
    paragraphs: [
      '受冷空气影响，县城近日气温明显下降。经县住建局研究，今年集中供暖提前5天于11月20日启动。',
      '首批覆盖文昌社区、南门社区、滨江社区等12个小区约4600户，供暖热线24小时有人值守。',
    ],
    place: '城关街道',
    hoursAgo: 9,
    pinned: true,
    reads: 2710,
    likes: 198,
  },
  {
    key: 'gov-medical-insurance',
    column: 'government',
    title: '2027年度城乡居民医保开始缴费，可在小程序“一键缴”',
    paragraphs: [
      '2027年度城乡居民基本医疗保险集中缴费已经开始，个人缴费标准为每人每年400元，截止日期为12月31日。',
      '参保群众可通过微信、银行柜台或村（社区）便民服务站缴费，特困人员、低保对象等按政策享受资助参保。',
    ],
    hoursAgo: 20,
    reads: 1956,
    likes: 87,
  },
  {
    key: 'gov-road-closure',
    column: 'government',
    title: '滨江路（南门桥至体育馆段）11月25日起半幅封闭施工',
    paragraphs: [
      '为实施雨污分流改造，滨江路南门桥至体育馆段将于11月25日至12月20日半幅封闭施工，请过往车辆提前绕行。',
      '施工期间，3路、5路公交线路临时调整，具体以站牌公告为准。给大家出行带来的不便，敬请谅解。',
    ],
    place: '城关街道',
    hoursAgo: 30,
    reads: 1432,
    likes: 45,
  },
  {
    key: 'cor-tea-harvest',
    column: 'correspondent',
    title: '桃坪乡茶山村：冬茶管护忙 来年增收有盼头',
    paragraphs: [
      '入冬以来，桃坪乡茶山村的茶农们忙着修剪、施肥、铺草防冻，为明年春茶丰收打好基础。',
      '村党支部书记介绍，村里今年新发展高山生态茶园300亩，合作社带动62户农户户均增收8000余元。',
    ],
    by: 7,
    place: '桃坪乡茶山村',
    hoursAgo: 5,
    pinned: true,
    reads: 986,
    likes: 133,
  },
  {
    key: 'cor-village-library',
    column: 'correspondent',
    title: '白石镇杨柳村农家书屋“上新”了',
    paragraphs: [
      '近日，白石镇杨柳村农家书屋新添置了农业技术、少儿读物、法律常识等图书800余册。',
      '每到周末，书屋里坐满了前来看书的孩子，村里的老党员还当起了义务管理员。',
    ],
    by: 7,
    place: '白石镇杨柳村',
    hoursAgo: 14,
    reads: 642,
    likes: 91,
  },
  {
    key: 'cor-volunteer-haircut',
    column: 'correspondent',
    title: '志愿者进村义务理发 暖了老人心',
    paragraphs: [
      '11月21日，县新时代文明实践中心组织理发志愿者走进龙潭镇黄桷村，为40余名留守老人免费理发。',
      '“不用跑镇上，在家门口就能把头发理了，舒服！”82岁的村民笑着说。',
    ],
    by: 9,
    place: '龙潭镇黄桷村',
    hoursAgo: 26,
    reads: 1204,
    likes: 257,
  },
  {
    key: 'cor-school-sports',
    column: 'correspondent',
    title: '县实验小学冬季运动会开幕 千名学生同场竞技',
    paragraphs: [
      '11月19日，县实验小学第十二届冬季运动会开幕，全校1200余名学生参加跳绳、拔河、接力跑等16个项目的比赛。',
      '运动会设置了亲子项目，不少家长走进校园，和孩子们一起感受运动的快乐。',
    ],
    by: 0,
    place: '城关街道',
    hoursAgo: 44,
    reads: 1530,
    likes: 188,
  },
  {
    key: 'cor-orange-market',
    column: 'correspondent',
    title: '双河镇梨园村脆红李冷库投用 鲜果错峰上市价更优',
    paragraphs: [
      '双河镇梨园村新建的500吨冷库日前投入使用，村里的脆红李、柑橘可以储存后错峰销售。',
      '合作社负责人算了一笔账：错峰上市后，每斤鲜果平均能多卖8毛钱。',
    ],
    by: 8,
    place: '双河镇梨园村',
    hoursAgo: 60,
    reads: 744,
    likes: 64,
  },
  {
    key: 'cor-flood-drill',
    column: 'correspondent',
    title: '河西街道开展防汛应急演练',
    paragraphs: [
      '河西街道联合县应急管理局在新华社区开展防汛应急演练，模拟强降雨导致低洼地带积水、群众被困等情景。',
      '演练检验了预警发布、人员转移、抢险救援等环节，参演人员120余人。',
    ],
    by: 5,
    place: '河西街道新华社区',
    hoursAgo: 75,
    reads: 512,
    likes: 38,
  },
  {
    key: 'ent-kiwi-factory',
    column: 'enterprise',
    title: '企业之家｜青川猕猴桃深加工项目投产 年产果干2000吨',
    paragraphs: [
      '位于县工业园区的猕猴桃深加工项目近日正式投产，主要生产猕猴桃果干、果酱和果汁饮品。',
      '项目可带动周边5个乡镇2000余户果农稳定销售，新增就业岗位180个。',
    ],
    hoursAgo: 12,
    reads: 880,
    likes: 72,
  },
  {
    key: 'ent-ecommerce',
    column: 'enterprise',
    title: '企业之家｜“青川好物”电商直播基地孵化主播60名',
    paragraphs: [
      '县电商直播基地开办一年来，已孵化本土主播60名，带动竹笋、腊肉、茶叶等特产线上销售超3000万元。',
      '基地负责人表示，明年将开设面向返乡青年的免费培训班。',
    ],
    hoursAgo: 50,
    reads: 1102,
    likes: 120,
  },
  {
    key: 'ent-credit',
    column: 'enterprise',
    title: '企业之家｜县农商银行推出“茶农贷” 最快当天放款',
    paragraphs: [
      '县农商银行针对茶叶种植户推出“茶农贷”，单户最高30万元，无需抵押，最快当天放款。',
      '目前已为桃坪、云岭两乡茶农发放贷款1200余万元。',
    ],
    hoursAgo: 98,
    reads: 433,
    likes: 21,
  },
  {
    key: 'live-market-prices',
    column: 'livelihood',
    title: '本周菜价：白菜萝卜稳中有降 猪肉价格小幅上涨',
    paragraphs: [
      '记者走访县城农贸市场了解到，本周大白菜每斤1.2元，白萝卜每斤1元，较上周略有下降。',
      '受季节性需求影响，猪肉价格小幅上涨，五花肉每斤16元左右。',
    ],
    hoursAgo: 7,
    pinned: true,
    reads: 2204,
    likes: 66,
  },
  {
    key: 'live-clinic',
    column: 'livelihood',
    title: '县人民医院开设周末便民门诊 上班族看病不再请假',
    paragraphs: [
      '从本周起，县人民医院在周六、周日上午开设内科、儿科、口腔科便民门诊。',
      '市民可通过医院公众号提前预约挂号，减少排队等候时间。',
    ],
    hoursAgo: 38,
    reads: 1877,
    likes: 143,
  },
  {
    key: 'live-bus',
    column: 'livelihood',
    title: '城乡公交新增两条线路 云岭乡通上了直达班车',
    paragraphs: [
      '12月1日起，县城至云岭乡高坪村、县城至桃坪乡茶山村两条城乡公交线路开通，每天各往返6班。',
      '票价按里程分段计价，最高不超过8元，老年人凭卡享受半价优惠。',
    ],
    place: '云岭乡',
    hoursAgo: 85,
    reads: 990,
    likes: 101,
  },
  {
    key: 'culture-red-leaves-video',
    column: 'culture',
    title: '视频｜云岭红叶层林尽染 周末赏秋正当时',
    paragraphs: [
      '连日来，云岭乡的红叶进入最佳观赏期，漫山红黄相间，吸引不少市民周末驾车前往。',
      '乡里在观景台增设了临时停车位和志愿服务点，提醒游客文明赏秋、注意防火。',
    ],
    place: '云岭乡',
    hoursAgo: 3,
    reads: 1530,
    likes: 88,
    video: { file: 'video-0.mp4', poster: 'video-0.png' },
  },
  {
    key: 'culture-folk-song',
    column: 'culture',
    title: '青川山歌进校园 非遗传承有了“新声音”',
    paragraphs: ['县文化馆的非遗传承人走进龙潭镇中心小学，教孩子们唱青川山歌。', '学校将山歌纳入音乐课和课后服务，每周安排一节山歌课。'],
    hoursAgo: 16,
    reads: 670,
    likes: 95,
  },
  {
    key: 'culture-autumn-photo',
    column: 'culture',
    title: '“青川的秋”摄影作品展在县文化馆开展',
    paragraphs: [
      '由县文旅局主办的“青川的秋”摄影作品展在县文化馆开展，共展出作品120幅。',
      '作品记录了云岭红叶、青溪晨雾、茶山秋色等美景，展览将持续到12月15日，免费向市民开放。',
    ],
    hoursAgo: 55,
    reads: 801,
    likes: 110,
  },
  {
    key: 'culture-ancient-town',
    column: 'culture',
    title: '白石古镇修缮完工 青石板街重现百年风貌',
    paragraphs: [
      '历时一年的白石古镇保护修缮工程完工，修复明清民居23栋、青石板街道1.2公里。',
      '古镇将于元旦前后开街，届时推出非遗市集、民俗表演等活动。',
    ],
    place: '白石镇',
    hoursAgo: 120,
    reads: 1650,
    likes: 230,
  },
  {
    key: 'headline-grain',
    column: 'headline',
    title: '全县今年粮食总产量再创新高 达到12.6万吨',
    paragraphs: [
      '据县农业农村局统计，今年全县粮食播种面积38.5万亩，总产量12.6万吨，比上年增长2.1%。',
      '高标准农田建设、良种推广和病虫害统防统治是今年增产的主要原因。',
    ],
    hoursAgo: 140,
    reads: 2100,
    likes: 150,
  },
];

/** The county's correspondent circles (融媒+…), as 古蔺 runs them. */
const CIRCLES: ReadonlyArray<{ name: string; description: string }> = [
  { name: '融媒+教育', description: '全县中小学、幼儿园的教师通讯员，记录校园新闻与教育故事。' },
  { name: '融媒+统战', description: '统战系统与新的社会阶层人士，讲述民族宗教、侨务和非公经济故事。' },
  { name: '融媒+党建', description: '各级党组织通讯员，报道基层党建和党员先锋事迹。' },
  { name: '融媒+图文生产', description: '摄影、短视频爱好者，用镜头记录青川。' },
  { name: '融媒+卫健', description: '医院、卫生院和疾控的医务通讯员，传播健康知识。' },
  { name: '融媒+政法', description: '公检法司通讯员，以案说法、普法宣传。' },
  { name: '融媒+文旅', description: '文旅从业者与乡土文化爱好者，推介青川山水与非遗。' },
  { name: '融媒+乡村振兴', description: '驻村干部和村（社区）通讯员，报道产业发展与乡村变化。' },
  { name: '融媒+企业', description: '企业宣传员，讲述青川企业发展故事。' },
  { name: '融媒+志愿服务', description: '志愿者通讯员，记录新时代文明实践。' },
];

/** Seed people 100+ (stable fake openids): circle leaders and correspondents. */
const seedOpenid = (i: number) => `oSEED${String(100 + i).padStart(23, '0')}`;

/**
 * Ten circles with a leader and three correspondents each, a unit channel, and ~20 published articles
 * across every column (correspondent pieces belong to circles), so the feed, the article page and the
 * circle pages have something real to show.
 */
/** 责任编辑 of the seeded correspondent pieces. */
const SEED_DESK_EDITOR = '陈静';

export const newsroomSeed: SeedStep = {
  name: 'newsroom',
  async run({ deps, services, log }) {
    const { newsroom, circles } = services;
    const person = (i: number) =>
      ensureCitizen({ services }, seedOpenid(i), { nickname: personName(100 + i), district: C.towns[i % C.towns.length] });

    /** Per circle: its id and its first correspondent, who signs that circle's seeded pieces. */
    const circleWriters: Array<{ circleId: string; userId: string; name: string }> = [];
    for (const [n, def] of CIRCLES.entries()) {
      const circle = await circles.create(def);
      await circles.appointLeader(null, circle.id, await person(n * 4));
      for (let k = 1; k <= 3; k++) {
        const userId = await person(n * 4 + k);
        await circles.admit(null, circle.id, userId);
        if (k === 1) circleWriters.push({ circleId: circle.id, userId, name: personName(100 + n * 4 + k) });
      }
    }
    log(`${CIRCLES.length} circles, each with a leader and 3 correspondents`);
    const channel = await circles.createChannel({ name: '县教育局分端', kind: 'government' });
    await circles.addChannelAdmin(channel.id, await person(CIRCLES.length * 4));
    log('unit channel 县教育局分端 with one admin');

    const now = deps.clock.now().getTime();
    // The centre's pictures are stored as its channel admin's uploads (someone has to own a file).
    const centreId = await person(CIRCLES.length * 4);
    let inserted = 0;
    for (const [i, a] of ARTICLES.entries()) {
      const writer = a.by === undefined ? undefined : circleWriters[a.by % circleWriters.length];
      if (await newsroom.hasSeedArticle(`seed:${a.key}`)) continue;
      // Every article opens with a picture of ours (or a video of ours and its poster), which is also its cover on the home page.
      const owner = writer?.userId ?? centreId;
      const cover = await seedImage(services, owner, a.video?.poster ?? `contest-${i % SEED_PICTURES}.png`);
      const opening: ArticleBlock = a.video
        ? { type: 'video', url: await seedImage(services, owner, a.video.file) }
        : { type: 'image', url: cover };
      const created = await newsroom.seedArticle(`seed:${a.key}`, {
        title: a.title,
        summary: a.paragraphs[0] ?? '',
        body: [opening, ...a.paragraphs.map((text) => ({ type: 'paragraph' as const, text }))],
        images: [cover],
        cover,
        column: a.column,
        // The byline shows the role itself (通讯员 / 责任编辑): names are names only.
        author: writer
          ? { kind: 'correspondent', userId: new Types.ObjectId(writer.userId), name: writer.name }
          : { kind: 'editor', name: C.mediaCentre },
        ...(writer ? { editor: { name: SEED_DESK_EDITOR } } : {}),
        ...(a.pinned ? { pinnedAt: new Date(now - a.hoursAgo * 3600_000) } : {}),
        ...(a.place ? { place: a.place } : {}),
        ...(writer ? { circleId: new Types.ObjectId(writer.circleId) } : {}),
        publishedAt: new Date(now - a.hoursAgo * 3600_000),
        reads: a.reads,
        likes: a.likes,
      });
      if (created) inserted += 1;
    }
    log(`${inserted} articles added (${ARTICLES.length - inserted} already there)`);
  },
};
