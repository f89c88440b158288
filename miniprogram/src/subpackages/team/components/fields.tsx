import { Picker, View } from '@tarojs/components';
import type { LocalDateTime } from '../activity-form';

/** Date + time pickers (Beijing time) for one moment. */
export function DateTimeField({ label, value, onChange }: { label: string; value: LocalDateTime; onChange: (v: LocalDateTime) => void }) {
  return (
    <View>
      <View className="tm-label">{label}</View>
      <View className="tm-row">
        <Picker className="tm-grow" mode="date" value={value.date} onChange={(e) => onChange({ ...value, date: String(e.detail.value) })}>
          <View className="tm-input">{value.date}</View>
        </Picker>
        <Picker className="tm-grow" mode="time" value={value.time} onChange={(e) => onChange({ ...value, time: String(e.detail.value) })}>
          <View className="tm-input">{value.time}</View>
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
    <View className="tm-chips">
      {options.map(([v, label]) => (
        <View
          key={v}
          className={`tm-chip ${value === v ? 'tm-chip--on' : ''}`}
          data-testid={testId ? `${testId}-${v}` : undefined}
          onClick={() => onChange(v)}
        >
          {label}
        </View>
      ))}
    </View>
  );
}
