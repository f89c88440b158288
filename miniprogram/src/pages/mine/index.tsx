import { User } from '@nutui/icons-react-taro';
import { Switch } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css';
import { Image, Input, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { Button, ListItem } from '../../components/ui';
import { useSession } from '../../hooks/use-session';
import { couponsApi } from '../../services/coupons.api';
import { pointsApi } from '../../services/points.api';
import { refreshUnreadBadge } from '../../services/unread-badge';
import { auth, tokens } from '../../services/request';
import { uploadImage } from '../../services/upload';
import { usersApi } from '../../services/users.api';
import { volunteersApi } from '../../services/volunteers.api';
import { useCareMode, withCareMode } from '../../stores/care-mode';
import { entriesFor, roleLabels } from '../../utils/roles';
import { go } from '../../utils/navigate';
import { isDefaultNickname, type UserView } from '@shared/schemas/users';
import './index.scss';

const isH5 = process.env.TARO_ENV === 'h5';

interface Counts {
  points: number | null;
  /** `99+` when there are more than one page shows. */
  coupons: number | string | null;
  activities: number | null;
}
const NO_COUNTS: Counts = { points: null, coupons: null, activities: null };

/** Keeps the stored session's user in step with the server's answer (我的 and role gates read it). */
function remember(user: UserView) {
  const current = tokens.get();
  if (current) tokens.set({ ...current, user });
}

/** 我的: who I am (avatar and nickname the WeChat way), my counts, the entries my roles open, settings. */
function MinePage() {
  const { session, user } = useSession();
  const [counts, setCounts] = useState<Counts>(NO_COUNTS);
  const [care, setCare] = useCareMode();
  const [busy, setBusy] = useState(false);
  const [unread, setUnread] = useState<number | null>(null);

  // Roles change when an admin grants one, counts when points or coupons move: refresh each time the tab shows.
  useDidShow(() => {
    void (async () => {
      if (!(await auth.ensureLoggedIn())) return;
      const me = await usersApi.me().catch(() => null);
      if (me) remember(me.user);
      setUnread(await refreshUnreadBadge());
      const [points, coupons, record] = await Promise.allSettled([
        pointsApi.balance(),
        couponsApi.mine('unused', null, 99),
        volunteersApi.record(),
      ]);
      setCounts({
        points: points.status === 'fulfilled' ? points.value.balance : null,
        coupons:
          coupons.status === 'fulfilled'
            ? coupons.value.nextCursor
              ? `${coupons.value.items.length}+`
              : coupons.value.items.length
            : null,
        activities: record.status === 'fulfilled' ? record.value.activities.length : null,
      });
    })();
  });

  const login = async () => {
    setBusy(true);
    try {
      if (!(await auth.ensureLoggedIn())) void Taro.showToast({ title: '登录失败，请稍后再试', icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  // WeChat hands a temporary file (chooseAvatar in the mini-program, the photo picker in H5): upload it as
  // the person's own image, then make it the avatar.
  const saveAvatar = async (filePath: string) => {
    try {
      Taro.showLoading({ title: '上传中' });
      const file = await uploadImage(filePath);
      remember((await usersApi.update({ avatarFileId: file.id })).user);
      void Taro.showToast({ title: '头像已更新', icon: 'success' });
    } catch (err) {
      void Taro.showToast({ title: err instanceof Error ? err.message : '上传失败', icon: 'none' });
    } finally {
      Taro.hideLoading();
    }
  };
  const pickAvatarH5 = async () => {
    const picked = await Taro.chooseImage({ count: 1, sizeType: ['compressed'] }).catch(() => null);
    const path = picked?.tempFilePaths[0];
    if (path) await saveAvatar(path);
  };

  const saveNickname = async (value: string) => {
    const nickname = value.trim();
    if (!user || !nickname || nickname === user.nickname) return;
    try {
      remember((await usersApi.update({ nickname })).user);
      void Taro.showToast({ title: '昵称已保存', icon: 'success' });
    } catch {
      // The API client has shown the reason (e.g. 昵称最多 20 个字).
    }
  };

  const entries = entriesFor(user);
  const count = (n: number | string | null) => (n === null ? '—' : String(n));
  return (
    <View className="mine-page" data-testid="tab-mine">
      <View className="mine-page__header">
        {user ? (
          <Button
            className="mine-page__avatar-btn"
            fill="none"
            openType="chooseAvatar"
            onChooseAvatar={(e) => void saveAvatar(e.detail.avatarUrl)}
            onClick={isH5 ? () => void pickAvatarH5() : undefined}
            data-testid="mine-avatar"
          >
            {user.avatarUrl ? (
              <Image className="mine-page__avatar" src={user.avatarUrl} mode="aspectFill" />
            ) : (
              <View className="mine-page__avatar mine-page__avatar--empty">
                <User />
              </View>
            )}
          </Button>
        ) : (
          <View className="mine-page__avatar mine-page__avatar--empty">
            <User />
          </View>
        )}
        <View className="mine-page__who">
          {user ? (
            <Input
              className="mine-page__name"
              type="nickname"
              value={isDefaultNickname(user.nickname) ? '' : user.nickname}
              maxlength={20}
              placeholder="点此设置昵称"
              placeholderClass="mine-page__name-placeholder"
              onBlur={(e) => void saveNickname(e.detail.value)}
              onConfirm={(e) => void saveNickname(e.detail.value)}
              data-testid="mine-name"
            />
          ) : (
            <View className="mine-page__name" data-testid="mine-name">
              {session ? '已登录' : '未登录'}
            </View>
          )}
          <View className="mine-page__roles" data-testid="mine-roles">
            {user ? roleLabels(user).join(' · ') : '登录后查看积分、优惠券与志愿服务'}
          </View>
        </View>
      </View>

      {user ? (
        <View className="mine-page__stats" data-testid="mine-stats">
          <View className="mine-page__stat" onClick={() => go('/subpackages/points/pages/mine/index')} data-testid="mine-points">
            <View className="mine-page__stat-value">{count(counts.points)}</View>
            <View className="mine-page__stat-label">积分</View>
          </View>
          <View className="mine-page__stat" onClick={() => go('/subpackages/coupons/pages/mine/index')} data-testid="mine-coupons">
            <View className="mine-page__stat-value">{count(counts.coupons)}</View>
            <View className="mine-page__stat-label">优惠券</View>
          </View>
          <View className="mine-page__stat" onClick={() => go('/subpackages/activities/pages/record/index')} data-testid="mine-activities">
            <View className="mine-page__stat-value">{count(counts.activities)}</View>
            <View className="mine-page__stat-label">志愿活动</View>
          </View>
        </View>
      ) : (
        <View className="mine-page__login">
          <Button block type="primary" size="large" loading={busy} onClick={() => void login()} data-testid="mine-login">
            微信一键登录
          </Button>
        </View>
      )}

      {entries.length > 0 ? (
        <View className="rm-section" data-testid="role-entries">
          <View className="rm-section__title">我的身份</View>
          {entries.map((e) => (
            <ListItem key={e.key} testId={`entry-${e.key}`} title={e.title} arrow onClick={() => go(e.url)} />
          ))}
        </View>
      ) : null}

      {user && !user.roles.some((g) => g.role === 'correspondent') ? (
        <View className="rm-section">
          <View className="rm-section__title">通讯员</View>
          <ListItem
            testId="entry-apply-correspondent"
            title="申请成为通讯员"
            description="加入通讯员圈子，投稿记录身边新闻"
            arrow
            onClick={() => go('/subpackages/newsroom/pages/apply/index')}
          />
        </View>
      ) : null}

      {user ? (
        <View className="rm-section">
          <ListItem
            testId="entry-messages"
            title="消息"
            extra={unread ? `${unread > 99 ? '99+' : unread} 条未读` : undefined}
            arrow
            onClick={() => go('/subpackages/messages/pages/index/index')}
          />
        </View>
      ) : null}

      <View className="rm-section">
        <View className="rm-section__title">服务</View>
        <ListItem testId="entry-wenzheng" title="问政 · 有事您说" arrow onClick={() => go('/subpackages/wenzheng/pages/home/index')} />
        {user?.roles.some((g) => g.role === 'county_leader') ? (
          <ListItem
            testId="entry-wenzheng-copied"
            title="抄送给我的问政"
            arrow
            onClick={() => go('/subpackages/wenzheng/pages/queue/index')}
          />
        ) : null}
        <ListItem testId="entry-points" title="我的积分 · 积分商城" arrow onClick={() => go('/subpackages/points/pages/mine/index')} />
        {user?.roles.some((g) => g.role === 'merchant_clerk' && g.scope?.type === 'outlet') ? (
          <ListItem testId="entry-mall-verify" title="积分兑换核销" arrow onClick={() => go('/subpackages/points/pages/verify/index')} />
        ) : null}
      </View>

      <View className="rm-section">
        <View className="rm-section__title">设置</View>
        <ListItem
          testId="care-mode"
          title="关怀模式"
          description="更大的字、更清楚的颜色、更大的按钮"
          extra={<Switch checked={care} onChange={(on) => setCare(on)} data-testid="care-mode-switch" />}
        />
        {isH5 && !user?.username ? (
          <ListItem testId="entry-staff-login" title="工作人员登录" arrow onClick={() => go('/subpackages/staff/pages/login/index')} />
        ) : null}
        <ListItem title="关于融媒社区" description="县级融媒体中心 · 本地新闻、志愿服务与便民服务" />
      </View>

      {session ? (
        <View className="mine-page__logout">
          <Button block type="default" onClick={() => void auth.logout()}>
            退出登录
          </Button>
        </View>
      ) : null}
    </View>
  );
}

export default withCareMode(MinePage);
