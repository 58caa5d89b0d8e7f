/**
 * Bars on the left axis and a line on the right one over the same categories (person-times and
 * amounts per year, say): Apache ECharts, only the parts used (ADR 0016), a sibling of BarChart.
 * Sized by its container; redrawn when the data change.
 *
 * A canvas keeps the size it was drawn at, and a browser lays out the printed page without telling
 * the page in time to redraw: with `print`, a second chart is drawn at that size for paper only
 * (shown instead of the first by print CSS, styles.css), its text as large as on screen.
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
  print,
  testId,
}: {
  categories: string[];
  bar: AxisSeries;
  line: AxisSeries;
  height?: number;
  /** The size on paper, in CSS pixels (A4 portrait inside 12 mm margins is about 700 wide). */
  print?: { width: number; height: number };
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const printRef = useRef<HTMLDivElement>(null);
  const printWidth = print?.width;
  const printHeight = print?.height;
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const paper =
      printRef.current && printWidth && printHeight
        ? echarts.init(printRef.current, undefined, { width: printWidth, height: printHeight })
        : undefined;
    const show = (s: AxisSeries) => (value: number) => (s.format ? s.format(value) : String(value));
    const axis = (s: AxisSeries, position: 'left' | 'right') => ({
      type: 'value',
      name: s.unit,
      position,
      // Over the axis, towards the inside: a long name is not cut at the chart's edge.
      nameTextStyle: { color: '#595959', align: position },
      axisLabel: { color: '#595959' },
      // One set of grid lines is enough: the bars' axis draws them.
      splitLine: { show: position === 'left' },
    });
    const option = {
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
    };
    chart.setOption(option);
    // On paper nothing moves: no animation, so the chart is whole whenever printing starts.
    paper?.setOption({ ...option, animation: false });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
      paper?.dispose();
    };
  }, [categories, bar, line, printWidth, printHeight]);
  return (
    <>
      <div
        ref={ref}
        className={print ? 'chart-screen' : undefined}
        style={{ width: '100%', height }}
        data-testid={testId}
      />
      {print ? <div ref={printRef} className="chart-paper" aria-hidden /> : null}
    </>
  );
}
