import { Alert, App, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import type { z } from 'zod';
import { apiErrorToForm, checkWith, showFieldErrors } from './api-form';

/**
 * A modal form checked with the API's own schema before sending, the API's refusals shown under their fields
 * (or above the form when no field owns them). `toBody` turns the form's values into the request body.
 * On success it says `success`, closes, then calls `onDone` (reload the list).
 */
export function FormModal<S extends z.ZodType, V extends object, R = unknown>(props: {
  title: ReactNode;
  okText: string;
  schema: S;
  fields: readonly string[];
  initialValues?: Partial<V>;
  toBody?(values: V): unknown;
  /** A rule beyond the schema, checked before sending: the problem and the field it belongs to. */
  refine?(body: z.output<S>): { path: string; message: string } | null;
  send(body: z.output<S>): Promise<R>;
  onClose(): void;
  success?: string | ((answer: R) => string);
  onDone?(answer: R): void;
  codeToField?: Record<string, string>;
  danger?: boolean;
  width?: number;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
}) {
  const { message: toast } = App.useApp();
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const submit = async () => {
    setMessage(null);
    const values = form.getFieldsValue(true) as V;
    const body = checkWith(form, props.schema, props.toBody ? props.toBody(values) : values, props.fields);
    if (!body) return;
    const problem = props.refine?.(body);
    if (problem) {
      showFieldErrors(form, [problem], props.fields);
      return;
    }
    setBusy(true);
    try {
      const answer = await props.send(body);
      if (props.success) toast.success(typeof props.success === 'function' ? props.success(answer) : props.success);
      props.onClose();
      props.onDone?.(answer);
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
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={props.initialValues}
        // A field changed since the last attempt loses that attempt's message (a custom control's too: the body editor).
        onValuesChange={(changed: object) =>
          (form as FormInstance).setFields(Object.keys(changed).map((name) => ({ name: [name], errors: [] })))
        }
      >
        {typeof props.children === 'function' ? props.children(form) : props.children}
      </Form>
    </Modal>
  );
}
