import ReactEChartsCore from 'echarts-for-react/lib/core';
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { CSSProperties } from 'react';

// Only what the console draws is bundled (echarts/core + these), not the whole library.
echarts.use([BarChart, FunnelChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = Parameters<echarts.ECharts['setOption']>[0];

/** An ECharts chart in the console's colours. */
export function EChart({ option, style }: { option: ChartOption; style?: CSSProperties }) {
  return <ReactEChartsCore echarts={echarts} option={option} style={{ height: 280, ...style }} notMerge lazyUpdate />;
}
