import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';

/** 上一页 / 第 N 页 / 下一页 under a cursor-paged table (the API gives no totals: counting every row is not free). */
export function CursorPager(props: {
  page: number;
  hasPrev: boolean;
  hasNext: boolean;
  onPrev(): void;
  onNext(): void;
  loading?: boolean;
}) {
  return (
    <Space style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 16 }}>
      <Button icon={<LeftOutlined />} disabled={!props.hasPrev || props.loading} onClick={props.onPrev}>
        上一页
      </Button>
      <Typography.Text type="secondary">第 {props.page} 页</Typography.Text>
      <Button disabled={!props.hasNext || props.loading} onClick={props.onNext}>
        下一页 <RightOutlined />
      </Button>
    </Space>
  );
}
