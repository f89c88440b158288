import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  FileImageOutlined,
  FontSizeOutlined,
  PlusOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import type { ArticleBlock } from '@shared/schemas/newsroom';
import { Button, Card, Input, Space, Tag, Typography } from 'antd';
import { ImageUpload } from './image-upload';

const KIND_LABELS: Readonly<Record<ArticleBlock['type'], string>> = { paragraph: '段落', heading: '小标题', image: '图片', video: '视频' };

const EMPTY: Readonly<Record<ArticleBlock['type'], () => ArticleBlock>> = {
  paragraph: () => ({ type: 'paragraph', text: '' }),
  heading: () => ({ type: 'heading', text: '' }),
  image: () => ({ type: 'image', url: '' }),
  video: () => ({ type: 'video', url: '' }),
};

/**
 * An article body as the API takes it: blocks (段落, 小标题, 图片 with a caption, 视频 link), never HTML. A form
 * control (`value`/`onChange`), so the FormModal checks the whole list with the API's schema and shows its
 * problems under it.
 */
export function BlocksEditor({ value = [], onChange }: { value?: ArticleBlock[]; onChange?(blocks: ArticleBlock[]): void }) {
  const set = (blocks: ArticleBlock[]) => onChange?.(blocks);
  const update = (i: number, block: ArticleBlock) => set(value.map((b, j) => (j === i ? block : b)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...value];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    set(next);
  };
  return (
    <div data-testid="blocks-editor">
      {value.length === 0 && <Typography.Text type="secondary">正文还是空的：从下面添加段落、小标题、图片或视频。</Typography.Text>}
      {value.map((block, i) => (
        <Card
          key={i}
          size="small"
          style={{ marginBottom: 8 }}
          styles={{ body: { padding: 8 } }}
          data-testid={`block-${i}`}
          title={<Tag>{KIND_LABELS[block.type]}</Tag>}
          extra={
            <Space size={2}>
              <Button
                size="small"
                type="text"
                icon={<ArrowUpOutlined />}
                disabled={i === 0}
                onClick={() => move(i, -1)}
                aria-label="上移"
              />
              <Button
                size="small"
                type="text"
                icon={<ArrowDownOutlined />}
                disabled={i === value.length - 1}
                onClick={() => move(i, 1)}
                aria-label="下移"
              />
              <Button
                size="small"
                type="text"
                danger
                icon={<DeleteOutlined />}
                onClick={() => set(value.filter((_, j) => j !== i))}
                aria-label="删除"
              />
            </Space>
          }
        >
          {block.type === 'paragraph' && (
            <Input.TextArea
              autoSize={{ minRows: 3, maxRows: 12 }}
              maxLength={5000}
              placeholder="段落文字"
              value={block.text}
              onChange={(e) => update(i, { ...block, text: e.target.value })}
            />
          )}
          {block.type === 'heading' && (
            <Input
              maxLength={100}
              placeholder="小标题"
              value={block.text}
              onChange={(e) => update(i, { ...block, text: e.target.value })}
            />
          )}
          {block.type === 'image' && (
            <Space align="start">
              <ImageUpload value={block.url || null} onChange={(url) => update(i, { ...block, url: url ?? '' })} />
              <Input
                style={{ width: 360 }}
                maxLength={100}
                placeholder="图片说明（可选）"
                value={block.caption ?? ''}
                onChange={(e) => {
                  const { caption: _dropped, ...rest } = block;
                  update(i, e.target.value ? { ...rest, caption: e.target.value } : rest);
                }}
              />
            </Space>
          )}
          {block.type === 'video' && (
            <Input
              placeholder="视频链接 https://…"
              maxLength={512}
              value={block.url}
              onChange={(e) => update(i, { ...block, url: e.target.value })}
            />
          )}
        </Card>
      ))}
      <Space wrap>
        <Button icon={<PlusOutlined />} onClick={() => set([...value, EMPTY.paragraph()])}>
          段落
        </Button>
        <Button icon={<FontSizeOutlined />} onClick={() => set([...value, EMPTY.heading()])}>
          小标题
        </Button>
        <Button icon={<FileImageOutlined />} onClick={() => set([...value, EMPTY.image()])}>
          图片
        </Button>
        <Button icon={<VideoCameraOutlined />} onClick={() => set([...value, EMPTY.video()])}>
          视频
        </Button>
      </Space>
    </div>
  );
}
