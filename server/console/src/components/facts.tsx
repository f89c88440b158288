import { Descriptions } from 'antd';
import type { ReactNode } from 'react';

/** One line of a details panel: [label, value]; falsy lines are left out (a reason not given). */
export type Fact = readonly [string, ReactNode] | readonly [string, ReactNode, number] | false | '' | null | undefined;

/** A details panel (a drawer's 姓名 / 手机 / 提交时间…): one bordered list of labelled values. */
export function Facts({ items, column = 1 }: { items: readonly Fact[]; column?: number }) {
  return (
    <Descriptions column={column} bordered size="small" styles={{ label: { whiteSpace: 'nowrap' } }}>
      {items
        .filter((f): f is Exclude<Fact, false | '' | null | undefined> => Boolean(f))
        .map(([label, value, span]) => (
          <Descriptions.Item key={label} label={label} span={span}>
            {value}
          </Descriptions.Item>
        ))}
    </Descriptions>
  );
}
