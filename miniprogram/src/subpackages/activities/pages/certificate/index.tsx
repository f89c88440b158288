import { Canvas, Image, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import { auth } from '../../../../services/request';
import { volunteersApi, type Certificate } from '../../../../services/volunteers.api';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import { CERT_WIDTH, certificateHeight, certificateStatement, drawCertificate, type Ctx2D } from '../../certificate-draw';
import '../../volunteers.scss';
import { withCareMode } from '../../../../stores/care-mode';

const IS_H5 = process.env.TARO_ENV === 'h5';
const SCALE = 2;

/** H5: draws the certificate on an off-page canvas and downloads it as a PNG. */
async function downloadInBrowser(c: Certificate): Promise<void> {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas');
  const height = certificateHeight(ctx, c);
  canvas.width = CERT_WIDTH * SCALE;
  canvas.height = height * SCALE;
  ctx.scale(SCALE, SCALE);
  const qr = new window.Image();
  await new Promise<void>((resolve, reject) => {
    qr.onload = () => resolve();
    qr.onerror = () => reject(new Error('qr image'));
    qr.src = c.qrDataUrl;
  });
  drawCertificate(ctx as unknown as Ctx2D, c, qr, height);
  const link = document.createElement('a');
  link.href = canvas.toDataURL('image/png');
  link.download = `志愿服务证明-${c.serial}.png`;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

interface WxCanvas {
  width: number;
  height: number;
  getContext(type: '2d'): Ctx2D & { scale(x: number, y: number): void };
  createImage(): { src: string; onload: () => void; onerror: (e: unknown) => void };
}

/** WeChat: draws on the page's hidden canvas (type="2d"), then saves the picture to the album. */
async function saveInWeapp(c: Certificate): Promise<void> {
  const found = await new Promise<Array<{ node?: WxCanvas } | null>>((resolve) =>
    Taro.createSelectorQuery().select('#vl-cert-canvas').fields({ node: true, size: true }).exec(resolve),
  );
  const canvas = found[0]?.node;
  if (!canvas) throw new Error('canvas not ready');
  const ctx = canvas.getContext('2d');
  const height = certificateHeight(ctx, c);
  canvas.width = CERT_WIDTH * SCALE;
  canvas.height = height * SCALE;
  ctx.scale(SCALE, SCALE);
  const qr = canvas.createImage();
  await new Promise<void>((resolve, reject) => {
    qr.onload = () => resolve();
    qr.onerror = reject;
    qr.src = c.qrDataUrl; // base64 data URIs load since base library 2.11
  });
  drawCertificate(ctx, c, qr, height);
  const { tempFilePath } = await Taro.canvasToTempFilePath({ canvas } as unknown as Taro.canvasToTempFilePath.Option);
  await Taro.saveImageToPhotosAlbum({ filePath: tempFilePath });
}

/**
 * 志愿服务证明: name, total hours, hours per year, the activities, issuing centre and date, the serial and
 * a QR code of its public check. Export: save as a picture (WeChat), print or download a PNG (browser).
 */
function CertificatePage() {
  const [cert, setCert] = useState<Certificate | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      await auth.ensureLoggedIn();
      setCert((await volunteersApi.certificate()).certificate);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad(() => void load());

  const exportImage = async () => {
    if (!cert) return;
    setBusy(true);
    try {
      if (IS_H5) await downloadInBrowser(cert);
      else {
        await saveInWeapp(cert);
        void Taro.showToast({ title: '已保存到相册', icon: 'success' });
      }
    } catch (err) {
      const denied = /auth|deny|denied/i.test(String((err as { errMsg?: string })?.errMsg ?? err));
      void Taro.showToast({ title: denied ? '请在设置中允许保存到相册' : '保存失败，请稍后再试', icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  if (failed) return <ErrorState onRetry={() => void load()} />;
  if (!cert) return <LoadingState />;
  // No confirmed service yet: a certificate of "0 小时" helps nobody; say how to earn one.
  if (cert.totalHours <= 0)
    return (
      <EmptyState
        title="还没有可证明的服务时长"
        description="参加志愿活动、签到签退并经队长确认后，即可在这里开具志愿服务证明"
        action={
          <Button type="primary" onClick={() => go('/subpackages/activities/pages/home/index')}>
            去看看近期活动
          </Button>
        }
      />
    );
  return (
    <View data-testid="vl-certificate">
      <View className="vl-cert">
        <View className="vl-cert__title">志愿服务证明</View>
        <View className="vl-cert__statement" data-testid="vl-cert-statement">
          {certificateStatement(cert)}
        </View>
        <View className="vl-cert__heading">年度服务时长</View>
        {cert.byYear.length === 0 ? <View className="vl-cert__row">暂无已确认的服务时长</View> : null}
        {cert.byYear.map((y) => (
          <View key={y.year} className="vl-cert__row" data-testid="vl-cert-year">
            <View>{y.year} 年</View>
            <View>{y.hours} 小时</View>
          </View>
        ))}
        <View className="vl-cert__heading">服务记录</View>
        {cert.lines.map((l, i) => (
          <View key={`${l.date}-${i}`} className="vl-cert__row" data-testid="vl-cert-line">
            <View>{l.date}</View>
            <View>{l.title}</View>
            <View>{l.hours} 小时</View>
          </View>
        ))}
        <View className="vl-cert__footer">
          <View>
            <View>出具单位：{cert.issuer}</View>
            <View>出具日期：{formatShanghai(cert.issuedAt, false)}</View>
            <View data-testid="vl-cert-serial">证明编号：{cert.serial}</View>
            <View className="vl-cert__hint">扫描二维码可核验本证明真伪</View>
          </View>
          <Image className="vl-cert__qr" data-testid="vl-cert-qr" src={cert.qrDataUrl} />
        </View>
      </View>
      <View className="vl-actions vl-section vl-no-print">
        <Button type="primary" loading={busy} disabled={busy} data-testid="vl-cert-export" onClick={() => void exportImage()}>
          {IS_H5 ? '下载图片' : '保存为图片'}
        </Button>
        {IS_H5 ? (
          <Button data-testid="vl-cert-print" onClick={() => window.print()}>
            打印
          </Button>
        ) : null}
        <Button data-testid="vl-cert-verify" onClick={() => go(`/subpackages/activities/pages/verify/index?serial=${cert.serial}`)}>
          核验
        </Button>
      </View>
      {IS_H5 ? null : <Canvas type="2d" id="vl-cert-canvas" className="vl-cert-canvas" />}
    </View>
  );
}

export default withCareMode(CertificatePage);
