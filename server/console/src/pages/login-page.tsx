import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { staffLoginBodySchema } from '@shared/schemas/auth';
import { Alert, Button, Card, Checkbox, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../auth/session';
import { apiErrorToForm, checkWith } from '../components/api-form';

interface Values {
  username: string;
  password: string;
  remember: boolean;
}
const FIELDS = ['username', 'password'] as const;

export default function LoginPage() {
  const { user, login } = useSession();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  if (user) return <Navigate to={from} replace />;

  const submit = async (values: Values) => {
    setMessage(null);
    const body = checkWith(form, staffLoginBodySchema, { username: values.username ?? '', password: values.password ?? '' }, FIELDS);
    if (!body) return;
    setBusy(true);
    try {
      await login(body.username, body.password, values.remember);
      navigate(from, { replace: true });
    } catch (err) {
      // Wrong credentials belong to the password field; a lock or a disabled account to the whole form.
      setMessage(apiErrorToForm(form, err, FIELDS, { INVALID_CREDENTIALS: 'password' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #fff5f5 0%, #f5f5f5 60%)',
      }}
    >
      <Card style={{ width: 400, boxShadow: '0 8px 24px rgba(0,0,0,.08)' }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <img src="/console/favicon.svg" alt="" width={48} height={48} />
          <Typography.Title level={3} style={{ margin: '12px 0 4px' }}>
            融媒社区管理后台
          </Typography.Title>
          <Typography.Text type="secondary">编辑、部门与管理员使用工作账号登录</Typography.Text>
        </div>
        {message && <Alert type="error" showIcon message={message} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ remember: false }} requiredMark={false}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" placeholder="工作账号" size="large" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder="密码" size="large" />
          </Form.Item>
          <Form.Item name="remember" valuePropName="checked">
            <Checkbox>在此电脑上保持登录</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
