import type { WenzhengCategory } from '@shared/schemas/wenzheng';
import { CaseModel } from '../../../server/src/modules/wenzheng/wenzheng.model';
import { COUNTY, DEPARTMENTS } from '../county';
import { ensureStaff, type StaffSpec } from '../people';
import type { SeedStep } from '../types';

/** Departments 问政 needs beyond the county's list (环保 and 社保 cases have a home). */
const EXTRA_DEPARTMENTS = [
  { code: 'hbj', name: '县生态环境局' },
  { code: 'rsj', name: '县人社局' },
] as const;

const CATEGORY_DEPARTMENTS: Partial<Record<WenzhengCategory, string>> = {
  交通: 'jtj',
  城建: 'zjj',
  环保: 'hbj',
  教育: 'jyj',
  医疗: 'wjj',
  社保: 'rsj',
  市场监管: 'scjgj',
};

/**
 * 2026 public holidays and make-up working days as announced by the State Council (国务院办公厅). Admins
 * keep the calendar in the console; this gives a fresh install the current year.
 */
const HOLIDAYS_2026: ReadonlyArray<[string, 'holiday' | 'workday', string]> = [
  ['2026-01-01', 'holiday', '元旦'],
  ['2026-01-02', 'holiday', '元旦'],
  ['2026-01-03', 'holiday', '元旦'],
  ['2026-01-04', 'workday', '元旦调休上班'],
  ...(['15', '16', '17', '18', '19', '20', '21', '22', '23'] as const).map(
    (d) => [`2026-02-${d}`, 'holiday', '春节'] as [string, 'holiday', string],
  ),
  ['2026-02-14', 'workday', '春节调休上班'],
  ['2026-02-28', 'workday', '春节调休上班'],
  ['2026-04-04', 'holiday', '清明节'],
  ['2026-04-05', 'holiday', '清明节'],
  ['2026-04-06', 'holiday', '清明节'],
  ['2026-05-01', 'holiday', '劳动节'],
  ['2026-05-02', 'holiday', '劳动节'],
  ['2026-05-03', 'holiday', '劳动节'],
  ['2026-05-04', 'holiday', '劳动节'],
  ['2026-05-05', 'holiday', '劳动节'],
  ['2026-05-09', 'workday', '劳动节调休上班'],
  ['2026-06-19', 'holiday', '端午节'],
  ['2026-06-20', 'holiday', '端午节'],
  ['2026-06-21', 'holiday', '端午节'],
  ['2026-09-25', 'holiday', '中秋节'],
  ['2026-09-26', 'holiday', '中秋节'],
  ['2026-09-27', 'holiday', '中秋节'],
  ['2026-09-20', 'workday', '国庆调休上班'],
  ...(['01', '02', '03', '04', '05', '06', '07'] as const).map((d) => [`2026-10-${d}`, 'holiday', '国庆节'] as [string, 'holiday', string]),
  ['2026-10-10', 'workday', '国庆调休上班'],
];

/** 问政 console accounts beyond the identity step's (dev passwords known so a fresh clone can sign in). */
const ACCOUNTS: readonly StaffSpec[] = [
  // A county leader the propaganda department can copy cases to (抄送县领导).
  { username: 'lingdao', nickname: '分管副县长', roles: [{ role: 'county_leader' }], devPassword: 'rongmei-leader-dev' },
  // A second department, so a case can have a lead and a co-department (协办) in the console.
  {
    username: 'jiaotong',
    nickname: '交通运输局办公室',
    roles: [{ role: 'department_staff', scope: { type: 'department', id: 'jtj' } }],
    devPassword: 'rongmei-staff-dev',
  },
];

interface SampleCase {
  ref: string;
  source: 'hotline' | '12345' | 'tipoff' | 'mailbox';
  category: WenzhengCategory;
  title: string;
  text: string;
  address: string;
  lat: number;
  lng: number;
  /** How far the sample goes through the workflow. */
  upTo: 'pending' | 'assigned' | 'accepted' | 'answered';
  answer?: string;
}

const C = COUNTY;
const SAMPLES: readonly SampleCase[] = [
  {
    ref: 'SEED-WZ-001',
    source: '12345',
    category: '城建',
    title: '文昌社区老旧小区加装电梯进展',
    text: `${C.name}城关街道文昌社区3号楼居民询问：今年报名的老旧小区加装电梯什么时候开工？`,
    address: '城关街道文昌社区3号楼',
    lat: 32.5871,
    lng: 105.2319,
    upTo: 'answered',
    answer: '经核实，文昌社区3号楼加装电梯已完成设计审查，预计12月中旬进场施工。——县住建局',
  },
  {
    ref: 'SEED-WZ-002',
    source: 'hotline',
    category: '城建',
    title: '滨江路人行道地砖松动',
    text: '滨江路靠近南门社区一段人行道地砖松动翘起，老人晚上散步容易绊倒，希望尽快修复。',
    address: '城关街道滨江路南门段',
    lat: 32.5842,
    lng: 105.2355,
    upTo: 'accepted',
  },
  {
    ref: 'SEED-WZ-003',
    source: 'tipoff',
    category: '城建',
    title: '河西社区夜间施工噪音扰民',
    text: '河西社区附近工地连续几晚施工到凌晨一点，噪音很大，影响居民休息。',
    address: '河西街道河西社区',
    lat: 32.5901,
    lng: 105.2251,
    upTo: 'assigned',
  },
  {
    ref: 'SEED-WZ-004',
    source: 'mailbox',
    category: '交通',
    title: '青溪镇到县城的早班车能否提前',
    text: '青溪镇竹林村的学生和上班族希望早班车从6:50提前到6:20发车。',
    address: '青溪镇竹林村',
    lat: 32.6102,
    lng: 105.2604,
    upTo: 'pending',
  },
];

/** 问政: departments with their codes, deadlines and category defaults, the 2026 calendar, sample cases. */
export const wenzhengSeed: SeedStep = {
  name: 'wenzheng',
  async run({ deps, services, log }) {
    const { wenzheng, users } = services;

    for (const d of [...DEPARTMENTS, ...EXTRA_DEPARTMENTS]) {
      await wenzheng.saveDepartment(null, d.code, { name: d.name, headUserIds: [], propaganda: d.code === 'xcb' });
    }
    log(`${DEPARTMENTS.length + EXTRA_DEPARTMENTS.length} departments`);

    // Keeps an admin's edits: only categories without a department get the default.
    const settings = await wenzheng.getSettings(null);
    await wenzheng.updateSettings(null, { categoryDepartments: { ...CATEGORY_DEPARTMENTS, ...settings.categoryDepartments } });

    for (const [date, kind, name] of HOLIDAYS_2026) await wenzheng.setHoliday(null, date, kind, name);
    log(`${HOLIDAYS_2026.length} calendar days for 2026`);

    for (const account of ACCOUNTS) await ensureStaff({ deps, services, log }, account);

    const editorView = await users.findByUsername('editor');
    const staffView = await users.findByUsername('zhujian');
    if (!editorView || !staffView) {
      log('no editor or zhujian account: sample cases skipped');
      return;
    }
    const editor = { id: editorView.id, roles: editorView.roles };
    const staff = { id: staffView.id, roles: staffView.roles };
    let created = 0;
    for (const s of SAMPLES) {
      if (await CaseModel.exists({ sourceRef: s.ref })) continue;
      const c = await wenzheng.intake(editor, {
        source: s.source,
        sourceRef: s.ref,
        category: s.category,
        title: s.title,
        text: s.text,
        imageIds: [],
        place: { lat: s.lat, lng: s.lng, address: s.address },
        visibility: 'public',
        anonymous: true,
      });
      created += 1;
      if (s.upTo === 'pending') continue;
      await wenzheng.forward(editor, c.id, { tier: 'direct', type: 'complaint', coDepartments: [], publish: true });
      if (s.upTo === 'assigned') continue;
      await wenzheng.accept(staff, c.id);
      if (s.upTo === 'accepted') continue;
      await wenzheng.answer(staff, c.id, s.answer ?? '已办理。');
    }
    log(`${created} sample cases`);
  },
};
