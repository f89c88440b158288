import { Alert, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import type { z } from 'zod';
import { apiErrorToForm, checkWith } from './api-form';

/**
 * A modal form checked with the API's own schema before sending, the API's refusals shown under their fields
 * (or above the form when no field owns them). `toBody` turns the form's values into the request body.
 */
export function FormModal<S extends z.ZodType, V extends object>(props: {
  title: ReactNode;
  okText: string;
  schema: S;
  fields: readonly string[];
  initialValues?: Partial<V>;
  toBody?(values: V): unknown;
  send(body: z.output<S>): Promise<unknown>;
  onClose(): void;
  onDone(): void;
  codeToField?: Record<string, string>;
  danger?: boolean;
  width?: number;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
}) {
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const submit = async () => {
    setMessage(null);
    const values = form.getFieldsValue(true) as V;
    const body = checkWith(form, props.schema, props.toBody ? props.toBody(values) : values, props.fields);
    if (!body) return;
    setBusy(true);
    try {
      await props.send(body);
      props.onDone();
    } catch (err) {
      setMessage(apiErrorToForm(form, err, props.fields, props.codeToField));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={props.title}
      okText={props.okText}
      okButtonProps={{ danger: props.danger }}
      cancelText="取消"
      onOk={submit}
      confirmLoading={busy}
      onCancel={props.onClose}
      destroyOnHidden
      width={props.width}
    >
      {message && <Alert type="error" showIcon message={message} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false} initialValues={props.initialValues}>
        {typeof props.children === 'function' ? props.children(form) : props.children}
      </Form>
    </Modal>
  );
}
