import { CASE_EVENT_LABELS, CASE_SOURCE_LABELS, type CaseState, type CaseView } from '@shared/schemas/wenzheng';
import { Alert, Descriptions, Space, Tag, Timeline, Typography, type TableColumnType } from 'antd';
import { shanghaiTime } from './format';

/** The colour of a case's state tag (the states not listed are plain). */
export const CASE_STATE_COLORS: Partial<Record<CaseState, string>> = {
  pending: 'gold',
  handover: 'orange',
  rejected: 'red',
  answered: 'green',
  closed: 'green',
};

const EXTENSION_LABELS = { pending: '待审核', approved: '已批准', denied: '未批准' } as const;
const CO_PART_LABELS: Record<string, string> = { assigned: '待受理', accepted: '办理中', answered: '已答复', handover: '申请转办' };

/** A 问政 case as staff read it: where it came from, who asked, the question, and every step of its timeline. */
export function CaseDetails({ c }: { c: CaseView }) {
  return (
    <>
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label="来源">{CASE_SOURCE_LABELS[c.source]}</Descriptions.Item>
        <Descriptions.Item label="类别">{c.category}</Descriptions.Item>
        <Descriptions.Item label="提问人">{c.poster.name}</Descriptions.Item>
        <Descriptions.Item label="联系方式">
          {c.contact
            ? [c.contact.name, c.contact.phone, c.contact.sourceRef && `编号 ${c.contact.sourceRef}`].filter(Boolean).join(' · ') || '—'
            : '—'}
        </Descriptions.Item>
        <Descriptions.Item label="公开">{c.visibility === 'public' ? '可公开' : '仅工作人员可见'}</Descriptions.Item>
        <Descriptions.Item label="时间">{shanghaiTime(c.createdAt)}</Descriptions.Item>
        {c.place && (
          <Descriptions.Item label="地点" span={2}>
            {c.place.address}
          </Descriptions.Item>
        )}
        {c.department && (
          <Descriptions.Item label="承办部门" span={2}>
            {c.department.name}
          </Descriptions.Item>
        )}
        {(c.acceptDueAt || c.answerDueAt) && (
          <Descriptions.Item label="办理期限" span={2}>
            <Space size={8} wrap>
              {c.acceptDueAt && c.state === 'assigned' && <span>受理 {shanghaiTime(c.acceptDueAt)}</span>}
              {c.answerDueAt && <span>答复 {shanghaiTime(c.answerDueAt)}</span>}
              {c.overdue && <Tag color="red">已超期</Tag>}
              {c.extension && (
                <Tag color="blue">
                  延期 {c.extension.days} 个工作日 · {EXTENSION_LABELS[c.extension.status]}
                </Tag>
              )}
            </Space>
          </Descriptions.Item>
        )}
        {c.coParts.length > 0 && (
          <Descriptions.Item label="协办部门" span={2}>
            <Space size={[4, 4]} wrap>
              {c.coParts.map((p) => (
                <Tag key={p.department.code} color={p.overdue ? 'red' : undefined}>
                  {p.department.name} · {CO_PART_LABELS[p.state] ?? p.state}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
        )}
        {c.rejectReason && (
          <Descriptions.Item label="不予受理理由" span={2}>
            {c.rejectReason}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {c.title}
      </Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{c.text}</Typography.Paragraph>
      {c.answer && (
        <Alert
          type="success"
          style={{ marginBottom: 16 }}
          message={`${c.answer.department.name}答复 · ${shanghaiTime(c.answer.at)}`}
          description={<span style={{ whiteSpace: 'pre-wrap' }}>{c.answer.text}</span>}
        />
      )}
      <Timeline
        items={c.timeline.map((e) => ({
          children: (
            <span>
              {e.label || CASE_EVENT_LABELS[e.type]} · {e.by}
              {e.note ? `：${e.note}` : ''} <Typography.Text type="secondary">{shanghaiTime(e.at)}</Typography.Text>
            </span>
          ),
        }))}
      />
    </>
  );
}

/** A case list's first columns: the title (opens the case) over the start of its text, then the category. */
export function caseColumns(open: (c: CaseView) => void): Array<TableColumnType<CaseView>> {
  return [
    {
      title: '事项',
      key: 'title',
      render: (_, c) => (
        <div>
          <Typography.Link strong onClick={() => open(c)}>
            {c.title}
          </Typography.Link>
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block', maxWidth: '100%' }}>
            {c.text}
          </Typography.Text>
        </div>
      ),
    },
    { title: '类别', dataIndex: 'category', width: 90 },
  ];
}
