import { Input, Picker, View } from '@tarojs/components';
import type { LocalDateTime } from '../../utils/local-time';

/** Class-name prefix of the subpackage's own form styles (mc- merchant, tm- team, nr- newsroom, wz- 问政). */
type Prefix = 'mc' | 'tm' | 'nr' | 'wz';

/** Date + time pickers (Beijing time) for one moment. */
export function DateTimeField({
  prefix,
  label,
  value,
  onChange,
  testId,
}: {
  prefix: Prefix;
  label: string;
  value: LocalDateTime;
  onChange: (v: LocalDateTime) => void;
  testId?: string;
}) {
  return (
    <View data-testid={testId}>
      <View className={`${prefix}-label`}>{label}</View>
      <View className={`${prefix}-row`}>
        <Picker
          className={`${prefix}-grow`}
          mode="date"
          value={value.date}
          onChange={(e) => onChange({ ...value, date: String(e.detail.value) })}
        >
          <View className={`${prefix}-input`}>{value.date}</View>
        </Picker>
        <Picker
          className={`${prefix}-grow`}
          mode="time"
          value={value.time}
          onChange={(e) => onChange({ ...value, time: String(e.detail.value) })}
        >
          <View className={`${prefix}-input`}>{value.time}</View>
        </Picker>
      </View>
    </View>
  );
}

/** One choice of a few, as chips. */
export function Chips<T extends string>({
  prefix,
  options,
  value,
  onChange,
  testId,
}: {
  prefix: Prefix;
  options: ReadonlyArray<readonly [T, string]>;
  value: T;
  onChange: (v: T) => void;
  testId?: string;
}) {
  return (
    <View className={`${prefix}-chips`}>
      {options.map(([v, label]) => (
        <View
          key={v}
          className={`${prefix}-chip ${value === v ? `${prefix}-chip--on` : ''}`}
          data-testid={testId ? `${testId}-${v}` : undefined}
          onClick={() => onChange(v)}
        >
          {label}
        </View>
      ))}
    </View>
  );
}

/** A labelled one-line input; `grow` wraps it in a `${prefix}-grow` cell for a `${prefix}-row`. */
export function InputField({
  prefix,
  label,
  value,
  onInput,
  testId,
  type,
  placeholder,
  maxlength,
  grow = false,
}: {
  prefix: Prefix;
  label: string;
  value: string;
  onInput: (v: string) => void;
  testId?: string;
  type?: 'text' | 'number' | 'digit';
  placeholder?: string;
  maxlength?: number;
  grow?: boolean;
}) {
  const field = (
    <>
      <View className={`${prefix}-label`}>{label}</View>
      <Input
        className={`${prefix}-input`}
        data-testid={testId}
        type={type}
        placeholder={placeholder}
        maxlength={maxlength}
        value={value}
        onInput={(e) => onInput(e.detail.value)}
      />
    </>
  );
  return grow ? <View className={`${prefix}-grow`}>{field}</View> : field;
}
