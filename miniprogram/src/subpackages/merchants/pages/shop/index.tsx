import { Edit, Scan, Store, UserAdd } from '@nutui/icons-react-taro';
import { inviteCodeFromScan, type MerchantDetail } from '@shared/schemas/merchants';
import { Image, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { Button, EmptyState, ErrorState, ListItem, LoadingState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { isApiError } from '../../../../services/core/api-error';
import { auth, tokens } from '../../../../services/request';
import { usersApi } from '../../../../services/users.api';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import { ownsMerchant } from '../../../../utils/roles';
import { ApplicationStatus } from '../../components/application-status';
import { shopApi } from '../../shop.api';
import '../../../merchant/merchant.scss';
import '../../merchants.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** Roles change on approval and on joining a shop: the stored session learns them from /me. */
async function refreshRoles() {
  const me = await usersApi.me().catch(() => null);
  const current = tokens.get();
  if (me && current) tokens.set({ ...current, user: me.user });
}

/**
 * 我的店铺: the shops I applied for, own or work at. Owners edit the shop's details and invite clerks (a code,
 * valid 24 hours, shown as text and as a QR code); anyone can join a shop with a code from its owner, typed in,
 * scanned (WeChat) or arriving in the link (`?invite=<code>`, what the QR code says) already filled in.
 */
const IS_WEAPP = process.env.TARO_ENV === 'weapp';

function MyShopPage() {
  const { user } = useSession();
  const [shops, setShops] = useState<MerchantDetail[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [invites, setInvites] = useState<Record<string, { code: string; expiresAt: string; qrDataUrl: string }>>({});
  const [inviting, setInviting] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [joinError, setJoinError] = useState<string | null>(null);
  const [joining, setJoining] = useState(false);

  const load = async () => {
    try {
      if (!(await auth.ensureLoggedIn())) throw new Error('not signed in');
      const [{ items }] = await Promise.all([shopApi.mine(), refreshRoles()]);
      setShops(items);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  };
  useDidShow(() => void load());
  useLoad((params: Record<string, string | undefined>) => {
    const fromLink = params.invite ? inviteCodeFromScan(decodeURIComponent(params.invite)) : null;
    if (fromLink) setCode(fromLink);
  });

  /** WeChat: scan the owner's invite QR code; the code lands in the box, ready for 加入. */
  const scan = async () => {
    const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] }).catch(() => null);
    if (!res) return;
    const scanned = inviteCodeFromScan(res.result ?? '') ?? inviteCodeFromScan(res.path ?? '');
    if (!scanned) return setJoinError('这不是店铺的店员邀请码，请扫店主手机上的二维码');
    setJoinError(null);
    setCode(scanned);
  };

  const invite = async (merchantId: string) => {
    setInviting(merchantId);
    try {
      const made = await shopApi.invite(merchantId);
      setInvites((all) => ({ ...all, [merchantId]: made }));
    } catch (err) {
      void Taro.showToast({ title: isApiError(err) ? err.message : '没能生成邀请码，请稍后再试', icon: 'none' });
    } finally {
      setInviting(null);
    }
  };

  const join = async () => {
    const typed = code.trim().toUpperCase();
    if (!/^[A-Z0-9]{8}$/.test(typed)) return setJoinError('邀请码是 8 位字母和数字，请向店主核对');
    setJoining(true);
    setJoinError(null);
    try {
      const { merchant } = await shopApi.acceptInvite(typed);
      setCode('');
      void Taro.showToast({ title: `已加入${merchant.name}`, icon: 'success' });
      await load();
    } catch (err) {
      setJoinError(isApiError(err) ? err.message : '加入没有成功，请稍后再试');
    } finally {
      setJoining(false);
    }
  };

  if (failed) return <ErrorState onRetry={() => void load()} />;
  if (!shops) return <LoadingState />;

  return (
    <View className="sh-page" data-testid="sh-shops">
      {shops.length === 0 ? (
        <EmptyState
          title="你还没有店铺"
          description="开店的街坊可以申请入驻企业之家；店员请在下面输入店主给的邀请码"
          action={
            <Button type="primary" data-testid="sh-go-apply" onClick={() => go('/subpackages/merchants/pages/apply/index')}>
              申请入驻
            </Button>
          }
        />
      ) : null}
      {shops.map((m) => {
        if (m.state !== 'approved') return <ApplicationStatus key={m.id} merchant={m} />;
        const owner = ownsMerchant(user, m.id);
        const made = invites[m.id];
        return (
          <View key={m.id} className="mc-section" data-testid="sh-shop">
            <ListItem
              title={m.name}
              description={m.address}
              meta={`${m.category} · ${m.hours} · ${owner ? '店主' : '店员'}`}
              thumb={m.photos[0] ?? null}
              icon={m.photos[0] ? undefined : <Store />}
              onClick={() => go(`/subpackages/merchants/pages/detail/index?id=${m.id}`)}
            />
            <View className="sh-buttons">
              <Button size="small" type="primary" onClick={() => go('/subpackages/merchant/pages/index/index')}>
                商户工作台
              </Button>
              {owner ? (
                <Button
                  size="small"
                  icon={<Edit />}
                  data-testid="sh-edit"
                  onClick={() => go(`/subpackages/merchants/pages/edit/index?id=${m.id}`)}
                >
                  修改店铺资料
                </Button>
              ) : null}
              {owner ? (
                <Button
                  size="small"
                  icon={<UserAdd />}
                  data-testid="sh-invite"
                  loading={inviting === m.id}
                  disabled={inviting === m.id}
                  onClick={() => void invite(m.id)}
                >
                  {made ? '换一个邀请码' : '邀请店员'}
                </Button>
              ) : null}
            </View>
            {made ? (
              <View className="sh-invite" data-testid="sh-invite-card">
                <View className="mc-hint">请店员打开“商家 → 我的店铺”，扫下面的二维码或输入邀请码：</View>
                <Image className="sh-invite__qr" src={made.qrDataUrl} data-testid="sh-invite-qr" />
                <Text className="sh-invite__code" data-testid="sh-invite-code" userSelect>
                  {made.code}
                </Text>
                <View className="mc-hint">只能用一次，{formatShanghai(made.expiresAt)} 前有效</View>
                <Button size="small" onClick={() => void Taro.setClipboardData({ data: made.code })}>
                  复制邀请码
                </Button>
              </View>
            ) : null}
          </View>
        );
      })}
      <View className="mc-section" data-testid="sh-join">
        <View className="mc-section__title">我是店员</View>
        <View className="mc-hint">
          {IS_WEAPP ? '扫店主手机上的邀请二维码，或输入' : '输入'}店主给你的 8 位邀请码，加入后可以在商户工作台扫码核销优惠券。
        </View>
        {IS_WEAPP ? (
          <View className="sh-join__scan">
            <Button type="primary" block icon={<Scan />} data-testid="sh-join-scan" onClick={() => void scan()}>
              扫码加入
            </Button>
          </View>
        ) : null}
        <View className="mc-row sh-join__row">
          <Input
            className="mc-input mc-grow"
            data-testid="sh-join-code"
            maxlength={8}
            placeholder="如：K7M2Q9XA"
            value={code}
            onInput={(e) => setCode(e.detail.value)}
          />
          <Button type="primary" size="small" loading={joining} disabled={joining} data-testid="sh-join-submit" onClick={() => void join()}>
            加入
          </Button>
        </View>
        {joinError ? (
          <View className="sh-field__error" data-testid="sh-join-error">
            {joinError}
          </View>
        ) : null}
      </View>
    </View>
  );
}

export default withCareMode(MyShopPage);
