import { Alert, App, Button, Form, type FormInstance } from 'antd';
import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import type { z } from 'zod';
import type { Resource } from '../hooks/use-resource';
import { apiErrorToForm, checkWith } from './api-form';

/**
 * A settings page's form: filled from what the API holds, checked with the API's own schema before saving, the
 * API's refusals under their fields (or above the form), 保存设置 at the bottom. Saving reloads the settings.
 */
export function SettingsForm<S extends z.ZodType, V extends object>(props: {
  settings: Resource<V>;
  schema: S;
  fields: readonly string[];
  toBody?(values: V): unknown;
  send(body: z.output<S>): Promise<unknown>;
  success: string;
  style?: CSSProperties;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { settings } = props;
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data as Parameters<typeof form.setFieldsValue>[0]);
  }, [settings.data, form]);

  const save = async () => {
    setProblem(null);
    const values = form.getFieldsValue(true) as V;
    const body = checkWith(form, props.schema, props.toBody ? props.toBody(values) : values, props.fields);
    if (!body) return;
    setBusy(true);
    try {
      await props.send(body);
      message.success(props.success);
      settings.reload();
    } catch (err) {
      setProblem(apiErrorToForm(form, err, props.fields));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" requiredMark={false} disabled={settings.loading} style={{ maxWidth: 960, ...props.style }}>
      {(problem ?? settings.error) && (
        <Alert type="error" showIcon message={problem ?? settings.error?.message} style={{ marginBottom: 16 }} />
      )}
      {typeof props.children === 'function' ? props.children(form) : props.children}
      <Button type="primary" loading={busy} onClick={save}>
        保存设置
      </Button>
    </Form>
  );
}
