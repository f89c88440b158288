/**
 * The fictional county the seed data lives in: 青川县, a hill county with a river town seat. Places and
 * people are invented but shaped like a real Chinese county so the app looks and sorts like production.
 * Seed steps take their names from here so modules agree (a volunteer team's town is a real town).
 */
export const COUNTY = {
  name: '青川县',
  mediaCentre: '青川县融媒体中心',
  /** 街道 and 镇 — the `district` users pick. */
  towns: ['城关街道', '河西街道', '青溪镇', '白石镇', '龙潭镇', '双河镇', '桃坪乡', '云岭乡'],
  /** Residential communities and villages, by town. */
  communities: {
    城关街道: ['文昌社区', '南门社区', '滨江社区'],
    河西街道: ['河西社区', '新华社区'],
    青溪镇: ['青溪村', '竹林村', '石桥村'],
    白石镇: ['白石社区', '杨柳村'],
    龙潭镇: ['龙潭村', '黄桷村'],
    双河镇: ['双河社区', '梨园村'],
    桃坪乡: ['桃坪村', '茶山村'],
    云岭乡: ['云岭村', '高坪村'],
  } as Record<string, string[]>,
  departments: ['县委宣传部', '县住建局', '县交通运输局', '县教育局', '县卫健局', '县市场监管局', '县文旅局', '县民政局'],
} as const;

/**
 * The county's departments with their stable codes: a code is the department's id everywhere (the 问政
 * departments collection, `department_staff` role scopes), so seed steps take both from here.
 */
export const DEPARTMENTS = [
  { code: 'xcb', name: '县委宣传部' },
  { code: 'zjj', name: '县住建局' },
  { code: 'jtj', name: '县交通运输局' },
  { code: 'jyj', name: '县教育局' },
  { code: 'wjj', name: '县卫健局' },
  { code: 'scjgj', name: '县市场监管局' },
  { code: 'wlj', name: '县文旅局' },
  { code: 'mzj', name: '县民政局' },
] as const satisfies ReadonlyArray<{ code: string; name: (typeof COUNTY.departments)[number] }>;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = [
  '建国',
  '秀英',
  '伟',
  '芳',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
  '桂英',
  '晓东',
  '思雨',
  '子涵',
  '浩然',
  '雨桐',
  '梓萱',
];

/**
 * The i-th person's name, the same on every run (seeds upsert by natural keys, so names must be stable).
 * 20 × 28 = 560 distinct names before repeating.
 */
export function personName(i: number): string {
  const surname = SURNAMES[i % SURNAMES.length] as string;
  const given = GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length] as string;
  return surname + given;
}
