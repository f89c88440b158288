import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { Button, ListItem } from '../../components/ui';
import { useSession } from '../../hooks/use-session';
import { auth, tokens } from '../../services/request';
import { usersApi } from '../../services/users.api';
import { entriesFor, roleLabels } from '../../utils/roles';
import { go } from '../../utils/navigate';
import './index.scss';

const isH5 = process.env.TARO_ENV === 'h5';

/** 我的: who I am, my roles, and the entries my roles open (each a subpackage). */
export default function MinePage() {
  const { session, user } = useSession();

  // Roles change when an admin grants one: refresh the user each time the tab shows.
  useDidShow(() => {
    void (async () => {
      if (!(await auth.ensureLoggedIn())) return;
      const current = tokens.get();
      const me = await usersApi.me().catch(() => null);
      if (me && current) tokens.set({ ...current, user: me.user });
    })();
  });

  const entries = entriesFor(user);
  return (
    <View className="mine-page" data-testid="tab-mine">
      <View className="mine-page__header">
        <View className="mine-page__name" data-testid="mine-name">
          {user ? user.nickname : session ? '已登录' : '未登录'}
        </View>
        <View className="mine-page__roles" data-testid="mine-roles">
          {user ? roleLabels(user).join(' · ') : '登录后可查看积分与身份'}
        </View>
      </View>

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

      <View className="rm-section">
        <View className="rm-section__title">问政</View>
        <ListItem testId="entry-wenzheng" title="问政 · 有事您说" arrow onClick={() => go('/subpackages/wenzheng/pages/home/index')} />
        {user?.roles.some((g) => g.role === 'county_leader') ? (
          <ListItem
            testId="entry-wenzheng-copied"
            title="抄送给我的问政"
            arrow
            onClick={() => go('/subpackages/wenzheng/pages/queue/index')}
          />
        ) : null}
      </View>

      <View className="rm-section">
        <View className="rm-section__title">积分</View>
        <ListItem testId="entry-points" title="我的积分 · 积分商城" arrow onClick={() => go('/subpackages/points/pages/mine/index')} />
        {user?.roles.some((g) => g.role === 'merchant_clerk' && g.scope?.type === 'outlet') ? (
          <ListItem testId="entry-mall-verify" title="积分兑换核销" arrow onClick={() => go('/subpackages/points/pages/verify/index')} />
        ) : null}
      </View>

      <View className="rm-section">
        <View className="rm-section__title">设置</View>
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
