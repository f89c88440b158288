import { Picker, View } from '@tarojs/components';
import type { LocalDateTime } from '../form';

/** Date + time pickers (Beijing time) for one moment. */
export function DateTimeField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: LocalDateTime;
  onChange: (v: LocalDateTime) => void;
  testId?: string;
}) {
  return (
    <View data-testid={testId}>
      <View className="mc-label">{label}</View>
      <View className="mc-row">
        <Picker className="mc-grow" mode="date" value={value.date} onChange={(e) => onChange({ ...value, date: String(e.detail.value) })}>
          <View className="mc-input">{value.date}</View>
        </Picker>
        <Picker className="mc-grow" mode="time" value={value.time} onChange={(e) => onChange({ ...value, time: String(e.detail.value) })}>
          <View className="mc-input">{value.time}</View>
        </Picker>
      </View>
    </View>
  );
}

/** One choice of a few, as chips. */
export function Chips<T extends string>({
  options,
  value,
  onChange,
  testId,
}: {
  options: ReadonlyArray<readonly [T, string]>;
  value: T;
  onChange: (v: T) => void;
  testId?: string;
}) {
  return (
    <View className="mc-chips">
      {options.map(([v, label]) => (
        <View
          key={v}
          className={`mc-chip ${value === v ? 'mc-chip--on' : ''}`}
          data-testid={testId ? `${testId}-${v}` : undefined}
          onClick={() => onChange(v)}
        >
          {label}
        </View>
      ))}
    </View>
  );
}
