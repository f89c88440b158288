import { DeleteOutlined, LoadingOutlined, UploadOutlined } from '@ant-design/icons';
import { UPLOAD_MAX_BYTES, UPLOAD_TYPES } from '@shared/schemas/newsroom';
import { Button, Image, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, uploadImage } from '../api/client';

/**
 * A cover picture for a form field holding its URL: the image is uploaded when chosen (POST /files) and the
 * field gets the stored file's URL. Type and size are checked first with the API's own limits; a refusal is
 * shown under the picker.
 */
export function CoverUpload({ value, onChange, id }: { value?: string; onChange?(url: string | undefined): void; id?: string }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const pick = async (file: File) => {
    setProblem(null);
    if (!(UPLOAD_TYPES as readonly string[]).includes(file.type)) return setProblem('只能上传 JPEG、PNG、WebP 或 GIF 图片');
    if (file.size > UPLOAD_MAX_BYTES) return setProblem('图片不能超过 5 MB');
    setBusy(true);
    try {
      onChange?.((await uploadImage(file)).url);
    } catch (err) {
      setProblem(err instanceof ApiError ? err.message : '上传失败，请重试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div id={id}>
      <Space align="start" wrap>
        {value && <Image src={value} width={160} height={90} style={{ objectFit: 'cover', borderRadius: 6 }} alt="封面" />}
        <Space direction="vertical" size={4}>
          <Upload
            accept={UPLOAD_TYPES.join(',')}
            showUploadList={false}
            beforeUpload={(file) => {
              void pick(file);
              return false;
            }}
          >
            <Button icon={busy ? <LoadingOutlined /> : <UploadOutlined />} disabled={busy}>
              {value ? '更换封面' : '上传封面'}
            </Button>
          </Upload>
          {value && (
            <Button type="text" size="small" icon={<DeleteOutlined />} onClick={() => onChange?.(undefined)}>
              移除
            </Button>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            JPEG / PNG / WebP / GIF，不超过 5 MB；建议 16:9
          </Typography.Text>
        </Space>
      </Space>
      {problem && (
        <Typography.Text type="danger" role="alert" style={{ display: 'block', marginTop: 4 }}>
          {problem}
        </Typography.Text>
      )}
    </div>
  );
}
