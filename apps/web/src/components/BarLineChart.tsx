/**
 * Bars on the left axis and a line on the right one over the same categories (person-times and
 * amounts per year, say): Apache ECharts, only the parts used (ADR 0016), a sibling of BarChart.
 * Sized by its container; redrawn when the data change, and fitted to the paper when printed.
 */
import { BarChart as EBarChart, LineChart as ELineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([EBarChart, ELineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface AxisSeries {
  name: string;
  values: number[];
  color: string;
  /** Shown on the axis, after the values' own labels (人次, 万元). */
  unit: string;
  /** How a value reads on its label and in the tooltip (two decimals, say); plain otherwise. */
  format?: (value: number) => string;
}

interface TooltipItem {
  axisValueLabel: string;
  marker: string;
  seriesName: string;
  seriesIndex: number;
  value: number;
}

export function BarLineChart({
  categories,
  bar,
  line,
  height = 300,
  testId,
}: {
  categories: string[];
  bar: AxisSeries;
  line: AxisSeries;
  height?: number;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const show = (s: AxisSeries) => (value: number) => (s.format ? s.format(value) : String(value));
    const axis = (s: AxisSeries, position: 'left' | 'right') => ({
      type: 'value',
      name: s.unit,
      position,
      nameTextStyle: { color: '#595959' },
      axisLabel: { color: '#595959' },
      // One set of grid lines is enough: the bars' axis draws them.
      splitLine: { show: position === 'left' },
    });
    chart.setOption({
      color: [bar.color, line.color],
      tooltip: {
        trigger: 'axis',
        // Each series' value as its label reads (the line's two decimals); the names are our own texts.
        formatter: (params: TooltipItem[]) =>
          [
            params[0]?.axisValueLabel ?? '',
            ...params.map(
              (p) =>
                `${p.marker} ${p.seriesName}&emsp;<b>${show(p.seriesIndex === 0 ? bar : line)(p.value)} ${
                  p.seriesIndex === 0 ? bar.unit : line.unit
                }</b>`,
            ),
          ].join('<br/>'),
      },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 48, containLabel: true },
      xAxis: { type: 'category', data: categories, axisTick: { alignWithLabel: true } },
      yAxis: [axis(bar, 'left'), axis(line, 'right')],
      series: [
        {
          name: bar.name,
          type: 'bar',
          yAxisIndex: 0,
          data: bar.values,
          barMaxWidth: 48,
          // Inside the bars: the line's labels go above its points, and the two would meet where
          // the line crosses a bar's top.
          label: {
            show: true,
            position: 'insideTop',
            color: '#fff',
            formatter: ({ value }: { value: number }) => show(bar)(value),
          },
        },
        {
          name: line.name,
          type: 'line',
          yAxisIndex: 1,
          data: line.values,
          symbolSize: 8,
          lineStyle: { width: 3 },
          label: {
            show: true,
            position: 'top',
            distance: 8,
            color: line.color,
            fontWeight: 'bold',
            // Readable where the line runs over a bar.
            backgroundColor: 'rgba(255, 255, 255, 0.85)',
            padding: [1, 3],
            borderRadius: 2,
            formatter: ({ value }: { value: number }) => show(line)(value),
          },
        },
      ],
    });
    const resize = () => chart.resize();
    // The printed page is narrower than the screen: fit the chart to it, and back afterwards.
    const print = window.matchMedia('print');
    window.addEventListener('resize', resize);
    window.addEventListener('beforeprint', resize);
    window.addEventListener('afterprint', resize);
    print.addEventListener('change', resize);
    return () => {
      window.removeEventListener('resize', resize);
      window.removeEventListener('beforeprint', resize);
      window.removeEventListener('afterprint', resize);
      print.removeEventListener('change', resize);
      chart.dispose();
    };
  }, [categories, bar, line]);
  return <div ref={ref} className="bar-line-chart" style={{ width: '100%', height }} data-testid={testId} />;
}
