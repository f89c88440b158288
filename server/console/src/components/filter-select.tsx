import { Select } from 'antd';

/** One filter of a list page: a clearable select (cleared = no filter) of a fixed width. */
export function FilterSelect<V extends string>(props: {
  placeholder?: string;
  value: NoInfer<V> | undefined;
  onChange(value: NoInfer<V> | undefined): void;
  options: ReadonlyArray<{ value: V; label: string }>;
  width?: number;
  /** False for a filter that always has a value (a queue's state). */
  allowClear?: boolean;
}) {
  return (
    <Select<V>
      allowClear={props.allowClear ?? true}
      placeholder={props.placeholder}
      value={props.value}
      onChange={props.onChange}
      style={{ width: props.width ?? 150 }}
      options={[...props.options]}
    />
  );
}

/** Options for a FilterSelect from a label table (`{ pending: '待审核', … }`) or a list of values and a labeller. */
export function optionsOf<V extends string>(values: readonly V[], label: (v: V) => string): Array<{ value: V; label: string }> {
  return values.map((value) => ({ value, label: label(value) }));
}
