import {
  batchDecideMerchantsBodySchema,
  batchReviewPromotionsBodySchema,
  decideMerchantBodySchema,
  reviewPromotionBodySchema,
  type MerchantDetail,
  type PromotionView,
} from '@shared/schemas/merchants';
import {
  batchDecideApplicationsBodySchema,
  decideApplicationBodySchema,
  type ApplicationView,
  type CircleView,
} from '@shared/schemas/newsroom';
import { Image, Space, Tag, Typography } from 'antd';
import { allPages } from '../api/client';
import { tagColumn, timeColumn } from '../components/columns';
import { DecisionQueue } from '../components/decision-queue';
import { Facts } from '../components/facts';
import { shanghaiTime } from '../components/format';
import { useResource } from '../hooks/use-resource';

// One file for the three review queues: each is a DecisionQueue configured with its columns and endpoints.

const APPLICATION_STATES = [
  { value: 'pending', label: '待审核' },
  { value: 'approved', label: '已通过' },
  { value: 'declined', label: '已驳回' },
];
const STATE_TAGS: Record<string, [string, string]> = {
  pending: ['gold', '待审核'],
  approved: ['green', '已通过'],
  published: ['green', '已发布'],
  declined: ['red', '已驳回'],
  rejected: ['red', '已驳回'],
};
const stateColumn = <T extends { state: string }>() => tagColumn<T>('状态', 'state', STATE_TAGS, 100);
const createdColumn = <T extends { createdAt: string }>() => timeColumn<T>('提交时间', 'createdAt');
const APPROVE = { value: 'approve', label: '通过' };
const DECLINE = { value: 'decline', label: '驳回' };

function Photos({ urls }: { urls: string[] }) {
  if (!urls.length) return null;
  return (
    <Image.PreviewGroup>
      <Space wrap style={{ marginTop: 16 }}>
        {urls.map((u) => (
          <Image key={u} src={u} width={120} height={90} style={{ objectFit: 'cover' }} />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

export function CorrespondentApplicationsPage() {
  const circles = useResource(() => allPages<CircleView>('/circles'), []);
  const circleName = (id: string) => circles.data?.find((c) => c.id === id)?.name ?? '—';
  return (
    <DecisionQueue<ApplicationView>
      title="通讯员申请"
      path="/correspondents/applications"
      states={APPLICATION_STATES}
      nameOf={(a) => `${a.realName} · ${circleName(a.circleId)}`}
      yes={APPROVE}
      no={DECLINE}
      one={{ path: (a) => `/correspondents/applications/${a.id}/decision`, schema: decideApplicationBodySchema }}
      many={{ path: '/correspondents/applications/decisions', schema: batchDecideApplicationsBodySchema }}
      columns={[
        { title: '姓名', dataIndex: 'realName', width: 110, render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
        { title: '申请圈子', dataIndex: 'circleId', width: 150, render: circleName },
        { title: '片区 · 系统 · 领域', key: 'where', width: 220, render: (_, a) => [a.district, a.system, a.domain].join(' · ') },
        { title: '简介', dataIndex: 'intro', ellipsis: true },
        stateColumn(),
        createdColumn(),
      ]}
      details={(a) => (
        <Facts
          items={[
            ['姓名', a.realName],
            ['手机', a.phone],
            ['申请圈子', circleName(a.circleId)],
            ['片区', a.district],
            ['系统', a.system],
            ['领域', a.domain],
            ['简介', a.intro],
            ['代表作', a.samples.join('；') || '—'],
            ['提交时间', shanghaiTime(a.createdAt)],
            a.reason && ['驳回理由', a.reason],
          ]}
        />
      )}
    />
  );
}

export function MerchantApplicationsPage() {
  return (
    <DecisionQueue<MerchantDetail>
      title="商户入驻申请"
      path="/merchants/applications"
      states={APPLICATION_STATES}
      nameOf={(m) => m.name}
      yes={APPROVE}
      no={DECLINE}
      one={{ path: (m) => `/merchants/${m.id}/decision`, schema: decideMerchantBodySchema }}
      many={{ path: '/merchants/applications/decisions', schema: batchDecideMerchantsBodySchema }}
      columns={[
        { title: '商户', dataIndex: 'name', width: 180, render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
        { title: '类别', dataIndex: 'category', width: 90 },
        { title: '地址', dataIndex: 'address', ellipsis: true },
        { title: '电话', dataIndex: 'phone', width: 130 },
        stateColumn(),
        createdColumn(),
      ]}
      details={(m) => (
        <>
          <Facts
            items={[
              ['商户名称', m.name],
              ['类别', m.category],
              ['营业执照号', m.licenceNo],
              [
                '营业执照照片',
                m.licencePhoto ? (
                  <Image
                    src={m.licencePhoto.url}
                    width={160}
                    height={120}
                    style={{ objectFit: 'contain' }}
                    alt="营业执照照片"
                    data-testid="merchant-licence-photo"
                  />
                ) : (
                  '未上传'
                ),
              ],
              ['地址', m.address],
              ['电话', m.phone],
              ['营业时间', m.hours || '—'],
              ['简介', m.intro || '—'],
              ['提交时间', shanghaiTime(m.createdAt)],
              m.reason && ['驳回理由', m.reason],
            ]}
          />
          <Photos urls={m.photos} />
        </>
      )}
    />
  );
}

const period = (p: PromotionView) => (p.startsAt ? `${shanghaiTime(p.startsAt)} — ${shanghaiTime(p.endsAt)}` : '—');

export function PromotionsPage() {
  return (
    <DecisionQueue<PromotionView>
      title="商户活动审核"
      path="/promotions/queue"
      states={[
        { value: 'pending', label: '待审核' },
        { value: 'published', label: '已发布' },
        { value: 'rejected', label: '已驳回' },
      ]}
      nameOf={(p) => `${p.merchantName}：${p.title}`}
      yes={{ value: 'publish', label: '发布' }}
      no={{ value: 'reject', label: '驳回' }}
      one={{ path: (p) => `/promotions/${p.id}/review`, schema: reviewPromotionBodySchema }}
      many={{ path: '/promotions/decisions', schema: batchReviewPromotionsBodySchema }}
      columns={[
        {
          title: '活动',
          key: 'title',
          render: (_, p) => (
            <span>
              <Tag>{p.kind}</Tag>
              <Typography.Text strong>{p.title}</Typography.Text>
              {p.textSafety !== 'pass' && (
                <Tag color="orange" style={{ marginLeft: 8 }}>
                  内容待人工复核
                </Tag>
              )}
            </span>
          ),
        },
        { title: '商户', dataIndex: 'merchantName', width: 180 },
        {
          title: '活动时间',
          key: 'when',
          width: 240,
          render: (_, p) => period(p),
        },
        stateColumn(),
        createdColumn(),
      ]}
      details={(p) => (
        <>
          <Facts items={[['商户', p.merchantName], ['类型', p.kind], ['活动时间', period(p)], p.reason && ['驳回理由', p.reason]]} />
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 16 }}>{p.body}</Typography.Paragraph>
          <Photos urls={p.photos} />
        </>
      )}
    />
  );
}
