import { EditOutlined, PushpinFilled } from '@ant-design/icons';
import {
  ARTICLE_STATUS_LABELS,
  ARTICLE_STATUSES,
  createArticleBodySchema,
  updateArticleBodySchema,
  type ArticleBlock,
  type ArticleStatus,
  type DeskArticleCard,
  type DeskArticlePage,
  type DeskArticleResponse,
  type DeskArticleView,
} from '@shared/schemas/newsroom';
import { Alert, Button, Checkbox, DatePicker, Form, Input, Popconfirm, Select, Space, Spin, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api/client';
import { BlocksEditor } from '../components/blocks-editor';
import { actionsColumn, tagColumn, timeColumn } from '../components/columns';
import { FilterSelect, optionsOf } from '../components/filter-select';
import { FormModal } from '../components/form-modal';
import { ImageUpload } from '../components/image-upload';
import { ListCard } from '../components/paged-table';
import { useAction } from '../hooks/use-action';
import { useColumns } from '../hooks/use-columns';
import { useCursorPages } from '../hooks/use-cursor-pages';
import { useResource } from '../hooks/use-resource';

const STATUS_TAGS: Readonly<Record<ArticleStatus, readonly [string, string]>> = {
  scheduled: ['blue', ARTICLE_STATUS_LABELS.scheduled],
  published: ['green', ARTICLE_STATUS_LABELS.published],
  withdrawn: ['default', ARTICLE_STATUS_LABELS.withdrawn],
};

const FIELDS = ['title', 'column', 'cover', 'summary', 'authorName', 'place', 'body', 'publishAt'] as const;
interface ArticleValues {
  title?: string;
  column?: string;
  cover?: string | null;
  summary?: string;
  authorName?: string;
  place?: string;
  body?: ArticleBlock[];
  /** 定时发布 ticked: publishAt is the time. */
  schedule?: boolean;
  publishAt?: Dayjs | null;
}

const blank = (s: string | undefined) => (s && s.trim() ? s : undefined);

/** A new article's body for POST /articles: empty optional fields left out. */
function createBody(v: ArticleValues) {
  return {
    title: v.title ?? '',
    column: v.column,
    body: v.body ?? [],
    ...(v.cover ? { cover: v.cover } : {}),
    ...(blank(v.summary) ? { summary: v.summary } : {}),
    ...(blank(v.authorName) ? { authorName: v.authorName } : {}),
    ...(blank(v.place) ? { place: v.place } : {}),
    // 定时发布 ticked without a time: sent empty, so the schema's message appears under the time.
    ...(v.schedule ? { publishAt: v.publishAt ? v.publishAt.toISOString() : '' } : {}),
  };
}

/** An edit for PATCH /articles/:id: everything the form shows; emptied optional fields go back to their defaults (null). */
function updateBody(v: ArticleValues, article: DeskArticleView) {
  const time = v.publishAt?.toISOString();
  return {
    title: v.title ?? '',
    column: v.column,
    body: v.body ?? [],
    cover: v.cover ?? null,
    summary: blank(v.summary) ?? null,
    ...(blank(v.authorName) ? { authorName: v.authorName } : {}),
    place: blank(v.place) ?? null,
    // Only a scheduled article's time can move; unchanged, it is not sent.
    ...(article.status === 'scheduled' && time && time !== article.publishedAt ? { publishAt: time } : {}),
  };
}

/** 写文章 and 编辑文章: the shared schema checks the form before sending; the API's refusals appear under their fields. */
function ArticleForm({ article, onClose, onDone }: { article: DeskArticleView | null; onClose(): void; onDone(): void }) {
  const columns = useColumns();
  const scheduled = article?.status === 'scheduled';
  const initial: ArticleValues = article
    ? {
        title: article.title,
        column: article.column,
        cover: article.cover,
        summary: article.summary,
        authorName: article.author.name,
        place: article.place ?? undefined,
        body: article.body,
        schedule: scheduled,
        publishAt: scheduled ? dayjs(article.publishedAt) : null,
      }
    : { body: [{ type: 'paragraph', text: '' }], schedule: false, publishAt: null };
  // A column switched off since the article was written still shows by its name.
  const options =
    article && !columns.options.some((o) => o.value === article.column)
      ? [...columns.options, { value: article.column, label: `${columns.nameOf(article.column)}（已停用）` }]
      : columns.options;
  return (
    <FormModal<typeof createArticleBodySchema, ArticleValues>
      title={article ? `编辑文章：${article.title}` : '写文章'}
      okText={article ? '保存' : '发布'}
      schema={article ? (updateArticleBodySchema as unknown as typeof createArticleBodySchema) : createArticleBodySchema}
      fields={FIELDS}
      width={820}
      initialValues={initial}
      toBody={(v) => (article ? updateBody(v, article) : createBody(v))}
      refine={(body) =>
        body.publishAt && new Date(body.publishAt).getTime() <= Date.now() && !article
          ? { path: 'publishAt', message: '定时发布的时间要晚于现在（立即发布请取消“定时发布”）' }
          : null
      }
      send={(body) =>
        article
          ? api(`/articles/${article.id}`, { method: 'PATCH', body })
          : api<{ article: { publishedAt: string } }>('/articles', { body })
      }
      codeToField={{ COLUMN_UNKNOWN: 'column', ARTICLE_ALREADY_PUBLISHED: 'publishAt' }}
      onClose={onClose}
      success={
        article
          ? '文章已保存'
          : (answer) =>
              new Date((answer as { article: { publishedAt: string } }).article.publishedAt) > new Date() ? '已定时发布' : '文章已发布'
      }
      onDone={onDone}
    >
      {(form) => (
        <>
          <Form.Item name="title" label="标题">
            <Input maxLength={60} showCount placeholder="文章标题" />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="column" label="栏目" style={{ width: '34%' }}>
              <Select options={options} loading={columns.loading} placeholder="选择栏目" data-testid="article-column" />
            </Form.Item>
            <Form.Item name="authorName" label="作者署名（空为你的名字）" style={{ width: '33%' }}>
              <Input maxLength={30} />
            </Form.Item>
            <Form.Item name="place" label="地点（可选）" style={{ width: '33%' }}>
              <Input maxLength={50} />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="cover" label="封面图（空则用正文第一张图片；置顶轮播需要封面）">
            <ImageUpload testId="article-cover" />
          </Form.Item>
          <Form.Item name="summary" label="摘要（空则取正文开头）">
            <Input.TextArea rows={2} maxLength={200} showCount />
          </Form.Item>
          <Form.Item name="body" label="正文">
            <BlocksEditor />
          </Form.Item>
          {(!article || scheduled) && (
            <Space align="start" size="large">
              <Form.Item name="schedule" valuePropName="checked" label="发布时间">
                <Checkbox disabled={scheduled}>定时发布</Checkbox>
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a.schedule !== b.schedule}>
                {() =>
                  form.getFieldValue('schedule') && (
                    <Form.Item name="publishAt" label="定时发布时间">
                      <DatePicker
                        showTime={{ format: 'HH:mm' }}
                        format="YYYY-MM-DD HH:mm"
                        placeholder="选择发布时间"
                        disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
                        data-testid="article-publish-at"
                      />
                    </Form.Item>
                  )
                }
              </Form.Item>
            </Space>
          )}
          {article?.status === 'published' && <Alert type="info" showIcon message="文章已发布：保存后读者立即看到修改，发布时间不变。" />}
        </>
      )}
    </FormModal>
  );
}

/** Loads the whole article (any state) before its edit form opens. */
function EditArticle({ id, onClose, onDone }: { id: string; onClose(): void; onDone(): void }) {
  const res = useResource(() => api<DeskArticleResponse>(`/editorial/articles/${id}`), [id]);
  if (res.error) return <Alert type="error" showIcon message={res.error.message} action={<Button onClick={onClose}>关闭</Button>} />;
  if (!res.data) return <Spin fullscreen tip="正在打开文章…" />;
  return <ArticleForm article={res.data.article} onClose={onClose} onDone={onDone} />;
}

/** 文章管理 (editors): every article in every state; write, schedule, edit, pin to the carousel, take down. */
export default function ArticlesPage() {
  const columns = useColumns();
  const [column, setColumn] = useState<string | undefined>();
  const [status, setStatus] = useState<ArticleStatus | undefined>();
  const [q, setQ] = useState<string | undefined>();
  const list = useCursorPages(
    (cursor) => api<DeskArticlePage>('/editorial/articles', { query: { column, status, q, cursor, limit: 20 } }),
    [column, status, q],
  );
  const act = useAction(list.reload);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const pin = (a: DeskArticleCard, pinned: boolean) =>
    act(() => api(`/articles/${a.id}/pin`, { method: 'PUT', body: { pinned } }), pinned ? '已置顶到首页轮播' : '已取消置顶');

  return (
    <ListCard<DeskArticleCard>
      title="文章管理"
      list={list}
      extra={
        <Space wrap>
          <Input.Search
            allowClear
            placeholder="搜索标题"
            style={{ width: 200 }}
            onSearch={(v) => setQ(v.trim() ? v.trim() : undefined)}
            data-testid="articles-search"
          />
          <FilterSelect placeholder="全部栏目" value={column} onChange={setColumn} options={columns.options} width={140} />
          <FilterSelect
            placeholder="全部状态"
            value={status}
            onChange={setStatus}
            options={optionsOf(ARTICLE_STATUSES, (s) => ARTICLE_STATUS_LABELS[s])}
            width={120}
          />
          <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing('new')}>
            写文章
          </Button>
        </Space>
      }
      columns={[
        {
          title: '标题',
          key: 'title',
          render: (_, a) => (
            <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start', minWidth: 0 }}>
              {a.cover ? (
                <img src={a.cover} alt="" width={64} height={40} style={{ objectFit: 'cover', borderRadius: 4, flex: 'none' }} />
              ) : (
                <div style={{ width: 64, height: 40, borderRadius: 4, background: '#f5f5f5', flex: 'none' }} />
              )}
              <div style={{ flex: 1, minWidth: 0 }}>
                <Typography.Text strong ellipsis={{ tooltip: a.title }} style={{ display: 'block' }}>
                  {a.title}
                </Typography.Text>
                <div>
                  {a.pinned && (
                    <Tag color="red" icon={<PushpinFilled />}>
                      轮播
                    </Tag>
                  )}
                  {a.sponsored && <Tag color="orange">推广</Tag>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {a.author.name}
                  </Typography.Text>
                </div>
              </div>
            </div>
          ),
        },
        { title: '栏目', dataIndex: 'column', width: 100, render: (c: string) => columns.nameOf(c) },
        tagColumn<DeskArticleCard>('状态', 'status', STATUS_TAGS, 100),
        timeColumn<DeskArticleCard>('发布时间', 'publishedAt'),
        { title: '阅读 / 点赞', key: 'figures', width: 110, align: 'right', render: (_, a) => `${a.reads} / ${a.likes}` },
        actionsColumn<DeskArticleCard>(240, (a) =>
          a.status === 'withdrawn' ? (
            <Typography.Text type="secondary">已下线</Typography.Text>
          ) : (
            <Space size={4}>
              <Button size="small" onClick={() => setEditing(a.id)}>
                编辑
              </Button>
              {a.pinned || a.cover ? (
                <Button size="small" onClick={() => pin(a, !a.pinned)}>
                  {a.pinned ? '取消置顶' : '置顶'}
                </Button>
              ) : (
                <Popconfirm
                  title="这篇文章没有封面"
                  description="首页轮播里它只有标题、没有图片。仍要置顶吗？"
                  okText="仍要置顶"
                  cancelText="取消"
                  onConfirm={() => pin(a, true)}
                >
                  <Button size="small">置顶</Button>
                </Popconfirm>
              )}
              <Popconfirm
                title={`下线「${a.title}」？`}
                description="下线后读者看不到这篇文章。"
                okText="下线"
                okButtonProps={{ danger: true }}
                cancelText="取消"
                onConfirm={() => act(() => api(`/articles/${a.id}`, { method: 'DELETE' }), '已下线')}
              >
                <Button size="small" danger type="text">
                  下线
                </Button>
              </Popconfirm>
            </Space>
          ),
        ),
      ]}
    >
      {editing === 'new' && <ArticleForm article={null} onClose={() => setEditing(null)} onDone={list.reload} />}
      {editing && editing !== 'new' && <EditArticle id={editing} onClose={() => setEditing(null)} onDone={list.reload} />}
    </ListCard>
  );
}
