import { staffLoginBodySchema } from '@shared/schemas/auth';

import { Input, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { isApiError } from '../../../../services/core/api-error';
import { auth } from '../../../../services/request';
import './index.scss';
import { Button } from '../../../../components/ui';
import { withCareMode } from '../../../../stores/care-mode';

/** Staff (editors, department staff, merchants, admins) sign in with username and password — the H5 console. */
function StaffLoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    const parsed = staffLoginBodySchema.safeParse({ username, password });
    if (!parsed.success) {
      setError('请输入用户名和密码');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await auth.staffLogin(parsed.data.username, parsed.data.password);
      void Taro.showToast({ title: '登录成功', icon: 'success' });
      await Taro.switchTab({ url: '/pages/mine/index' });
    } catch (err) {
      setError(isApiError(err) ? err.message : '登录失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="staff-login" data-testid="staff-login">
      <View className="staff-login__title">融媒社区 · 工作台</View>
      <View className="staff-login__field">
        <Input
          className="staff-login__input"
          data-testid="staff-username"
          placeholder="用户名"
          value={username}
          onInput={(e) => setUsername(e.detail.value)}
        />
      </View>
      <View className="staff-login__field">
        <Input
          className="staff-login__input"
          data-testid="staff-password"
          placeholder="密码"
          password
          value={password}
          onInput={(e) => setPassword(e.detail.value)}
          onConfirm={() => void submit()}
        />
      </View>
      {error ? (
        <View className="staff-login__error" data-testid="staff-login-error">
          {error}
        </View>
      ) : null}
      <Button block type="primary" loading={busy} disabled={busy} onClick={() => void submit()} data-testid="staff-submit">
        登录
      </Button>
    </View>
  );
}

export default withCareMode(StaffLoginPage);
