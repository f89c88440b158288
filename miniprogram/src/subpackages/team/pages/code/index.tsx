import { Image, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow, useLoad, useUnload } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorState, LoadingState } from '../../../../components/ui';
import { volunteersApi } from '../../../../services/volunteers.api';
import '../../team.scss';
import { withCareMode } from '../../../../stores/care-mode';

/**
 * The leader's phone, full screen: the rotating check-in code. It changes every 30 seconds (the server
 * signs activity + time slot), so a photo sent to someone at home is useless a minute later.
 */
function RotatingCode() {
  const [id, setId] = useState('');
  const [code, setCode] = useState<{ qrDataUrl: string; rotatesAt: string } | null>(null);
  const [failed, setFailed] = useState(false);
  const [left, setLeft] = useState(30);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const load = useCallback(async (activityId: string) => {
    try {
      const res = await volunteersApi.code(activityId);
      setCode({ qrDataUrl: res.qrDataUrl, rotatesAt: res.rotatesAt });
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad((params: Record<string, string | undefined>) => setId(params.id ?? ''));
  const stop = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  };
  const start = useCallback(() => {
    stop();
    if (!id) return;
    void load(id);
    void Taro.setKeepScreenOn({ keepScreenOn: true }).catch(() => undefined);
    timer.current = setInterval(() => {
      setCode((current) => {
        const ms = current ? new Date(current.rotatesAt).getTime() - Date.now() : 0;
        setLeft(Math.max(0, Math.ceil(ms / 1000)));
        if (ms <= 0) void load(id);
        return current;
      });
    }, 1000);
  }, [id, load]);
  useEffect(() => {
    start();
    return stop;
  }, [start]);
  useDidShow(() => start());
  useDidHide(stop);
  useUnload(stop);

  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!code) return <LoadingState />;
  return (
    <View className="tm-code" data-testid="team-code">
      <View className="tm-code__title">扫码签到 / 签退</View>
      <Image className="tm-code__img" src={code.qrDataUrl} mode="aspectFit" />
      <View className="tm-code__hint">{left} 秒后更换 · 请志愿者用小程序“扫码签到”</View>
    </View>
  );
}

export default withCareMode(RotatingCode);
