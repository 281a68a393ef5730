/**
 * The two charts, drawn by Apache ECharts. Only the parts used are registered (echarts/core plus two chart
 * types, three components and the canvas renderer), so the bundle carries nothing else.
 *
 * Tooltips use renderMode 'richText': ECharts draws them on the canvas. Its default HTML tooltips write
 * markup with style="" attributes through innerHTML, which the page's CSP (style-src 'self', no
 * 'unsafe-inline') would refuse; canvas tooltips need no inline styles at all.
 */
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { count } from './format';
import type { SeriesDay } from './queries';

use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

const COLORS = ['#c62828', '#1565c0', '#2e7d32', '#ef6c00'];
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';

/** One bar of the groups chart: what it is called and its figures. */
export interface Bar {
  label: string;
  booked: number;
  delivered: number;
  deliveredOnTime: number;
}

/** What a chart shows, as read back from its ECharts instance (the browser test compares it with the graph). */
export interface ChartNumbers {
  categories: string[];
  series: Array<{ name: string; data: number[] }>;
}

const axisLabel = (value: number | string): string => (typeof value === 'number' ? count(value) : value);

/** Charts move between views, unless the reader asked their system for less motion. */
const animation = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;

function base(): ChartOption {
  return {
    color: COLORS,
    textStyle: { fontFamily: FONT },
    animation,
    animationDuration: 300,
    legend: { top: 0, textStyle: { fontFamily: FONT } },
    tooltip: { trigger: 'axis', renderMode: 'richText', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (typeof v === 'number' ? count(v) : String(v)) },
  };
}

/** Charts whose last setOption has not finished drawing (animations included). */
const drawing = new WeakSet<ECharts>();

export function createChart(container: HTMLElement): ECharts {
  const chart = init(container, undefined, { renderer: 'canvas' });
  chart.on('finished', () => drawing.delete(chart));
  return chart;
}

/** Whether a chart has finished drawing what it was last given (a screenshot taken then shows the final picture). */
export function drawn(chart: ECharts): boolean {
  return !drawing.has(chart);
}

/** Horizontal bars, one row per group, first group at the top. */
export function showBars(chart: ECharts, bars: Bar[]): void {
  const option: ChartOption = {
    ...base(),
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: axisLabel } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: bars.map((bar) => bar.label),
      axisLabel: { width: 180, overflow: 'truncate' },
    },
    series: [
      { name: 'Booked', type: 'bar', data: bars.map((bar) => bar.booked) },
      { name: 'Delivered', type: 'bar', data: bars.map((bar) => bar.delivered) },
      { name: 'Delivered on time', type: 'bar', data: bars.map((bar) => bar.deliveredOnTime) },
    ],
  };
  drawing.add(chart);
  chart.setOption(option, { notMerge: true });
}

/** Lines of the daily figures, one point per IST day. */
export function showSeries(chart: ECharts, days: SeriesDay[]): void {
  const option: ChartOption = {
    ...base(),
    tooltip: { ...(base().tooltip as TooltipComponentOption), axisPointer: { type: 'line' } },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: days.map((day) => day.date.slice(5)) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: axisLabel } },
    series: [
      { name: 'Booked', type: 'line', data: days.map((day) => day.booked), showSymbol: false },
      { name: 'Delivered', type: 'line', data: days.map((day) => day.delivered), showSymbol: false },
      { name: 'Delivered on time', type: 'line', data: days.map((day) => day.deliveredOnTime), showSymbol: false },
      { name: 'Failed attempts', type: 'line', data: days.map((day) => day.failedAttempts), showSymbol: false },
    ],
  };
  drawing.add(chart);
  chart.setOption(option, { notMerge: true });
}

/** The categories and series values a chart holds now (from the instance, not from what was passed in). */
export function numbersOf(chart: ECharts): ChartNumbers {
  const option = chart.getOption() as {
    xAxis?: Array<{ type?: string; data?: unknown[] }>;
    yAxis?: Array<{ type?: string; data?: unknown[] }>;
    series?: Array<{ name?: string; data?: unknown[] }>;
  };
  const categoryAxis = [...(option.xAxis ?? []), ...(option.yAxis ?? [])].find((axis) => axis.type === 'category');
  return {
    categories: (categoryAxis?.data ?? []).map(String),
    series: (option.series ?? []).map((series) => ({ name: String(series.name), data: (series.data ?? []).map(Number) })),
  };
}

/**
 * Calls `onPick(index)` when a click lands on a row of the bar chart (while `canPick()`): anywhere on the row, not only on a bar, so
 * a group with a bar of 0 can be picked too and the target is large.
 */
export function onBarRowClick(chart: ECharts, canPick: () => boolean, onPick: (index: number) => void): void {
  chart.getZr().on('click', (event: { offsetX: number; offsetY: number }) => {
    const pixel = [event.offsetX, event.offsetY];
    if (!canPick() || !chart.containPixel({ gridIndex: 0 }, pixel)) return;
    const index = (chart.convertFromPixel({ gridIndex: 0 }, pixel) as number[])[1];
    const rows = numbersOf(chart).categories.length;
    if (index !== undefined && Number.isInteger(index) && index >= 0 && index < rows) onPick(index);
  });
  chart.getZr().on('mousemove', (event: { offsetX: number; offsetY: number }) => {
    chart.getZr().setCursorStyle(canPick() && chart.containPixel({ gridIndex: 0 }, [event.offsetX, event.offsetY]) ? 'pointer' : 'default');
  });
}

/** Where (in the page's CSS pixels) row `index` of the bar chart is, a little right of the axis: for a test to click it. */
export function barRowPoint(chart: ECharts, index: number): { x: number; y: number } | null {
  const point = chart.convertToPixel({ gridIndex: 0 }, [0, index]) as number[] | undefined;
  if (!point || !Number.isFinite(point[0]) || !Number.isFinite(point[1])) return null;
  const box = chart.getDom().getBoundingClientRect();
  return { x: box.left + point[0]! + 12, y: box.top + point[1]! };
}
