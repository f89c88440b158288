import { createHmac } from 'node:crypto';
import QRCode from 'qrcode';
import type { CertificateCheck, CertificateView, RecordResponse } from '@shared/schemas/volunteers';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { UsersService } from '../users';
import { shanghaiDay, shanghaiMonth } from '../../core/time';
import { hoursOf } from './checkin-code';
import {
  ActivityModel,
  CertificateModel,
  SignupModel,
  TeamModel,
  type ActivityDoc,
  type SignupDoc,
  type TeamDoc,
} from './volunteers.model';
import type { Teams } from './teams';

export const CERTIFICATE_ISSUER = '县融媒体中心 · 融媒社区志愿服务平台';

/** 张三 → 张*, 欧阳娜娜 → 欧***: enough to match a paper certificate, not to find the person. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '*';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export interface ServiceRecordDeps {
  clock: Clock;
  /** Keys the certificate serial's HMAC (the check-in secret). */
  checkInSecret: Buffer;
  users: Pick<UsersService, 'getView'>;
  /** The holder's teams, named on the certificate. */
  myTeams: Teams['myTeams'];
  /** How people outside the app reach this API (the certificate's QR code points at its public check). */
  publicBaseUrl: () => string;
}

/** A volunteer's service record: confirmed hours by year and month, the 志愿服务证明 and its public check. */
export function createServiceRecord({ clock, checkInSecret, users, myTeams, publicBaseUrl }: ServiceRecordDeps) {
  const serviceRecord = {
    async record(userId: string): Promise<RecordResponse> {
      const signups = await SignupModel.find({ userId: oid(userId), state: { $ne: 'cancelled' } }).lean<SignupDoc[]>();
      const activities = await ActivityModel.find({ _id: { $in: signups.map((s) => s.activityId) } }).lean<ActivityDoc[]>();
      const byId = new Map(activities.map((a) => [a._id.toHexString(), a]));
      const teams = await TeamModel.find({ _id: { $in: activities.map((a) => a.teamId) } }, { name: 1 }).lean<
        Pick<TeamDoc, '_id' | 'name'>[]
      >();
      const teamName = new Map(teams.map((t) => [t._id.toHexString(), t.name]));
      const byYear = new Map<string, number>();
      const byMonth = new Map<string, number>();
      let total = 0;
      const rows: RecordResponse['activities'] = [];
      for (const s of signups) {
        const a = byId.get(s.activityId.toHexString());
        if (!a) continue;
        const confirmed = Boolean(s.confirmedAt);
        if (confirmed && s.minutes) {
          const month = shanghaiMonth(a.startAt);
          total += s.minutes;
          byMonth.set(month, (byMonth.get(month) ?? 0) + s.minutes);
          byYear.set(month.slice(0, 4), (byYear.get(month.slice(0, 4)) ?? 0) + s.minutes);
        }
        rows.push({
          activityId: a._id.toHexString(),
          title: a.title,
          teamName: teamName.get(a.teamId.toHexString()) ?? '',
          startAt: a.startAt.toISOString(),
          endAt: a.endAt.toISOString(),
          state: s.state,
          minutes: s.minutes ?? null,
          confirmed,
          pointsAwarded: s.pointsAwarded ?? 0,
        });
      }
      rows.sort((x, y) => (x.startAt < y.startAt ? 1 : -1));
      const series = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => (a < b ? 1 : -1));
      return {
        totalMinutes: total,
        totalHours: hoursOf(total),
        byYear: series(byYear).map(([year, minutes]) => ({ year, minutes, hours: hoursOf(minutes) })),
        byMonth: series(byMonth).map(([month, minutes]) => ({ month, minutes, hours: hoursOf(minutes) })),
        activities: rows,
      };
    },
    /**
     * 志愿服务证明: confirmed service only. The serial is an HMAC of the holder and the figures, so the same
     * figures always give the same serial and date; new service gives a new one. Each serial is recorded
     * (first issue wins) so anyone can check it publicly (`checkCertificate`) from the QR code.
     */
    async certificate(userId: string): Promise<{ certificate: CertificateView }> {
      const record = await serviceRecord.record(userId);
      const user = await users.getView(userId);
      const teams = await myTeams(userId);
      const served = record.activities.filter((a) => a.confirmed && a.minutes);
      const serial = createHmac('sha256', checkInSecret)
        .update(`certificate:${userId}:${record.totalMinutes}:${served.length}`)
        .digest('hex')
        .slice(0, 16)
        .toUpperCase();
      const firstServiceAt = served.at(-1)?.startAt ?? null;
      const lastServiceAt = served[0]?.startAt ?? null;
      const issued = await CertificateModel.findOneAndUpdate(
        { _id: serial },
        {
          $setOnInsert: {
            userId: oid(userId),
            name: user.nickname,
            teams: teams.map((t) => t.name),
            totalMinutes: record.totalMinutes,
            activityCount: served.length,
            byYear: record.byYear.map((y) => ({ year: y.year, minutes: y.minutes })),
            firstServiceAt: firstServiceAt ? new Date(firstServiceAt) : null,
            lastServiceAt: lastServiceAt ? new Date(lastServiceAt) : null,
            issuer: CERTIFICATE_ISSUER,
            issuedAt: clock.now(),
          },
        },
        { upsert: true, returnDocument: 'after', lean: true },
      ).catch(async (err: unknown) => {
        // Two first requests at once: one inserted, the other hit the key; read the winner.
        if (!isDuplicateKey(err)) throw err;
        return CertificateModel.findById(serial).lean();
      });
      const verifyUrl = `${publicBaseUrl()}/api/v1/volunteers/certificates/${serial}`;
      const qrDataUrl = await QRCode.toDataURL(verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 360 });
      return {
        certificate: {
          serial,
          name: user.nickname,
          teams: teams.map((t) => t.name),
          totalHours: record.totalHours,
          activityCount: served.length,
          firstServiceAt,
          lastServiceAt,
          byYear: record.byYear.map((y) => ({ year: y.year, hours: y.hours })),
          issuedAt: (issued?.issuedAt ?? clock.now()).toISOString(),
          issuer: issued?.issuer ?? CERTIFICATE_ISSUER,
          lines: served.map((a) => ({ date: shanghaiDay(new Date(a.startAt)), title: a.title, hours: hoursOf(a.minutes ?? 0) })),
          verifyUrl,
          qrDataUrl,
        },
      };
    },
    /** The public check behind a certificate's QR code: the figures as issued, or 404 for a serial never issued. */
    async checkCertificate(serial: string): Promise<CertificateCheck> {
      const doc = await CertificateModel.findById(serial).lean();
      if (!doc) throw new AppError('NOT_FOUND', { message: '没有这个编号的志愿服务证明，请核对编号' });
      const newer = await CertificateModel.exists({ userId: doc.userId, issuedAt: { $gt: doc.issuedAt } });
      return {
        valid: true,
        serial: doc._id,
        maskedName: maskName(doc.name),
        totalHours: hoursOf(doc.totalMinutes),
        activityCount: doc.activityCount,
        byYear: doc.byYear.map((y) => ({ year: y.year, hours: hoursOf(y.minutes) })),
        issuedAt: doc.issuedAt.toISOString(),
        issuer: doc.issuer,
        latest: !newer,
      };
    },
  };
  return serviceRecord;
}
