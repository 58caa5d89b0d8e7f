/**
 * A bar chart (Apache ECharts, only the parts used: ADR 0016): categories along the axis, one
 * series per side. Sized by its container; redrawn when the data change.
 */
import { BarChart as EBarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([EBarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface BarSeries {
  name: string;
  values: number[];
  color?: string;
}

export function BarChart({
  categories,
  series,
  height = 280,
  testId,
}: {
  categories: string[];
  series: BarSeries[];
  height?: number;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chart.setOption({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      // Many long labels (causes of hardship) would overlap: slanted then.
      xAxis: {
        type: 'category',
        data: categories,
        axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 },
      },
      yAxis: { type: 'value' },
      series: series.map((s) => ({
        name: s.name,
        type: 'bar',
        data: s.values,
        label: { show: true, position: 'top' },
        ...(s.color ? { itemStyle: { color: s.color } } : {}),
      })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [categories, series]);
  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} />;
}
