import { ROLE_DEFS } from '@shared/roles';
import type { ConsoleTodoCounts } from '@shared/schemas/console';
import { Alert, Card, Col, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useSession } from '../auth/session';
import { EChart } from '../components/echart';
import { useTodo } from '../layout/console-layout';

/** Each to-do count: its name, and the page that works it once that page exists (later slices add the rest). */
const TODO_CARDS: ReadonlyArray<{ key: keyof ConsoleTodoCounts; label: string; hint: string; to?: string }> = [
  { key: 'submissions', label: '待审投稿', hint: '待初审、已推荐与审核中的稿件', to: '/review/submissions' },
  { key: 'wenzhengTriage', label: '问政待审核', hint: '网友提交、等待编辑分办的问政', to: '/wenzheng/triage' },
  { key: 'wenzhengOverdue', label: '问政超期', hint: '已过受理或答复期限、仍在等待部门的问政' },
  { key: 'correspondentApplications', label: '通讯员申请', hint: '等待审批的通讯员申请', to: '/applications/correspondents' },
  { key: 'merchantApplications', label: '商户入驻申请', hint: '等待审批的商户入驻', to: '/applications/merchants' },
  { key: 'promotions', label: '商户活动待审', hint: '商户发布、等待编辑审核的活动', to: '/applications/promotions' },
];

export default function HomePage() {
  const { user } = useSession();
  const todo = useTodo();
  const counts = todo.data?.counts ?? {};
  const cards = TODO_CARDS.filter((c) => counts[c.key] !== undefined);
  const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', hour: 'numeric', hour12: false }).format(new Date()));
  const greeting = hour < 12 ? '上午好' : hour < 18 ? '下午好' : '晚上好';
  const roles = (user?.roles ?? [])
    .filter((g) => g.role !== 'citizen')
    .map((g) => ROLE_DEFS[g.role].label + (g.scope ? `（${g.scope.id}）` : ''));

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {greeting}，{user?.nickname}
      </Typography.Title>
      <Typography.Paragraph type="secondary">您的角色：{roles.join('、') || '—'}。下面是等待您处理的事项。</Typography.Paragraph>
      {todo.error && <Alert type="error" showIcon message={todo.error.message} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        {cards.map((c) => (
          <Col key={c.key} flex="1 1 200px">
            <Card loading={todo.loading && !todo.data} hoverable={Boolean(c.to)} data-testid={`todo-${c.key}`} style={{ height: '100%' }}>
              <Statistic
                title={c.to ? <Link to={c.to}>{c.label}</Link> : c.label}
                value={counts[c.key] ?? 0}
                valueStyle={{ color: (counts[c.key] ?? 0) > 0 && c.key === 'wenzhengOverdue' ? '#cf1322' : undefined }}
                suffix="件"
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {c.hint}
              </Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
      {cards.length > 0 && (
        <Card title="待办一览" style={{ marginTop: 16 }}>
          <EChart
            option={{
              color: ['#c8161d'],
              // Read at a glance on every visit: no grow-in animation.
              animation: false,
              tooltip: { trigger: 'axis' },
              grid: { left: 40, right: 24, top: 24, bottom: 32 },
              xAxis: { type: 'category', data: cards.map((c) => c.label) },
              yAxis: { type: 'value', minInterval: 1 },
              series: [
                { type: 'bar', barMaxWidth: 48, data: cards.map((c) => counts[c.key] ?? 0), label: { show: true, position: 'top' } },
              ],
            }}
          />
        </Card>
      )}
    </div>
  );
}
