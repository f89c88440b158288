import { DeleteOutlined, LoadingOutlined, UploadOutlined } from '@ant-design/icons';
import { UPLOAD_MAX_BYTES, UPLOAD_TYPES } from '@shared/schemas/newsroom';
import { App, Button, Image, Space, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, uploadImage } from '../api/client';

/**
 * One image uploaded through POST /api/v1/files: a form control whose value is the URL the API answered (null: none).
 * The type and size are checked here first, then by the API (its Chinese refusal is shown as a message).
 */
export function ImageUpload({ value, onChange, testId }: { value?: string | null; onChange?(url: string | null): void; testId?: string }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    if (!(UPLOAD_TYPES as readonly string[]).includes(file.type)) return void message.error('只能上传 JPEG、PNG、WebP 或 GIF 图片');
    if (file.size > UPLOAD_MAX_BYTES) return void message.error('图片不能超过 5 MB');
    setBusy(true);
    try {
      onChange?.((await uploadImage(file)).url);
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : '上传失败，请重试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space align="center" data-testid={testId}>
      {value && <Image src={value} width={120} height={72} style={{ objectFit: 'cover', borderRadius: 4 }} alt="已上传的图片" />}
      <Upload
        accept={UPLOAD_TYPES.join(',')}
        showUploadList={false}
        beforeUpload={(file) => {
          void upload(file);
          return false;
        }}
      >
        <Button icon={busy ? <LoadingOutlined /> : <UploadOutlined />} disabled={busy}>
          {value ? '更换图片' : '上传图片'}
        </Button>
      </Upload>
      {value && (
        <Button type="text" danger icon={<DeleteOutlined />} onClick={() => onChange?.(null)}>
          移除
        </Button>
      )}
    </Space>
  );
}
