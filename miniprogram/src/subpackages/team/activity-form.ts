import { createActivityBodySchema, type CreateActivityBody } from '@shared/schemas/volunteers';
import { fromLocal, toLocal, type LocalDateTime } from '../../utils/local-time';

/**
 * The leader's 发布活动 form: what is typed (Beijing dates, numbers, the place picked on the map) becomes the
 * API's body, checked with the server's own schema; the first problem comes back as one Chinese sentence.
 */

const HOUR_MS = 3600_000;
const CJK = /[\u4e00-\u9fff]/;

export { fromLocal, toLocal, type LocalDateTime } from '../../utils/local-time';

export interface ActivityForm {
  title: string;
  description: string;
  placeName: string;
  /** Where check-in is allowed: picked on the map (Taro.chooseLocation) or typed; off = rotating code only. */
  useGeofence: boolean;
  lat: string;
  lng: string;
  radiusM: string;
  start: LocalDateTime;
  end: LocalDateTime;
  deadline: LocalDateTime;
  capacity: string;
  audience: 'public' | 'team';
  pointsMode: 'per_hour' | 'fixed';
  points: string;
  checkInOpensMinutesBefore: string;
}

/** Tomorrow 09:00–11:00, sign-up until it starts, open to everyone, 10 points an hour. */
export function emptyActivityForm(now: Date): ActivityForm {
  const tomorrow = toLocal(new Date(now.getTime() + 24 * HOUR_MS)).date;
  return {
    title: '',
    description: '',
    placeName: '',
    useGeofence: false,
    lat: '',
    lng: '',
    radiusM: '300',
    start: { date: tomorrow, time: '09:00' },
    end: { date: tomorrow, time: '11:00' },
    deadline: { date: tomorrow, time: '09:00' },
    capacity: '20',
    audience: 'public',
    pointsMode: 'per_hour',
    points: '10',
    checkInOpensMinutesBefore: '30',
  };
}

const HINTS: Readonly<Record<string, string>> = {
  capacity: '名额应为 1–10000 人',
  'geofence.lat': '请在地图上选择活动地点，或填写正确的纬度',
  'geofence.lng': '请在地图上选择活动地点，或填写正确的经度',
  'points.perHour': '每小时积分应为 0–1000',
  'points.amount': '固定积分应为 0–10000',
  checkInOpensMinutesBefore: '提前签到时间应为 0–720 分钟',
  startAt: '请选择开始时间',
  endAt: '请选择结束时间',
  signUpDeadline: '请选择报名截止时间',
};

const num = (s: string): number => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s.trim()) : Number.NaN);

export function buildActivityBody(
  form: ActivityForm,
  teamId: string,
  now: Date = new Date(),
): { ok: true; body: CreateActivityBody } | { ok: false; message: string } {
  const startAt = fromLocal(form.start);
  const endAt = fromLocal(form.end);
  const signUpDeadline = fromLocal(form.deadline);
  if (!startAt || !endAt || !signUpDeadline) return { ok: false, message: '请选择活动时间和报名截止时间' };
  // The server would accept it, but nobody could sign up.
  if (Date.parse(signUpDeadline) <= now.getTime()) return { ok: false, message: '报名截止时间已过，请重新选择' };
  if (form.useGeofence && (form.lat.trim() === '' || form.lng.trim() === ''))
    return { ok: false, message: '请在地图上选择签到地点（或关闭“签到时核验位置”）' };
  const hinted = (issue: { path?: PropertyKey[] }): string | undefined => {
    const path = issue.path ?? [];
    return HINTS[path.map(String).join('.')] ?? HINTS[String(path[0] ?? '')];
  };
  const parsed = createActivityBodySchema.safeParse(
    {
      teamId,
      title: form.title,
      description: form.description,
      placeName: form.placeName,
      ...(form.useGeofence ? { geofence: { lat: num(form.lat), lng: num(form.lng), radiusM: num(form.radiusM) } } : {}),
      startAt,
      endAt,
      capacity: num(form.capacity),
      signUpDeadline,
      audience: form.audience,
      points:
        form.pointsMode === 'per_hour' ? { mode: 'per_hour', perHour: num(form.points) } : { mode: 'fixed', amount: num(form.points) },
      checkInOpensMinutesBefore: num(form.checkInOpensMinutesBefore),
    },
    // The schema's own messages (title, place, radius, times) win; zod's defaults give way to the hints.
    { error: hinted },
  );
  if (parsed.success) return { ok: true, body: parsed.data };
  const message = parsed.error.issues[0]?.message ?? '';
  return { ok: false, message: CJK.test(message) ? message : '请检查填写的内容' };
}
