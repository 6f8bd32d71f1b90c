import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { CSSProperties } from 'react';

// Only what the dashboard draws is registered: the chunk stays a fraction of the full build.
echarts.use([
  LineChart,
  BarChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** The page's Chinese font first, so canvas text renders the same glyphs as the HTML around it. */
export const chartFont =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif';

export interface ChartProps {
  option: Record<string, unknown>;
  dark?: boolean;
  style?: CSSProperties;
  onClick?: (params: { dataIndex: number; seriesType: string }) => void;
  'aria-label'?: string;
}

export function Chart({ option, dark, style, onClick, 'aria-label': ariaLabel }: ChartProps) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      theme={dark ? 'dark' : undefined}
      option={{ backgroundColor: 'transparent', textStyle: { fontFamily: chartFont }, ...option }}
      notMerge
      style={{ height: '100%', width: '100%', ...style }}
      onEvents={onClick ? { click: onClick } : undefined}
      aria-label={ariaLabel}
      role="img"
    />
  );
}
