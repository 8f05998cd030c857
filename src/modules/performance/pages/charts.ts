/**
 * Geometry of the dashboards' charts, drawn by `charts.njk` as plain SVG on the server: no
 * script, and every chart is followed by a table of the same figures for screen readers and
 * for anyone who wants the numbers.
 */

export interface BarChart {
  width: number;
  height: number;
  bars: { label: string; value: string; x: number; y: number; width: number; height: number }[];
  axis: { y: number };
}

export interface LineChart {
  width: number;
  height: number;
  /** The SVG polyline's points, "x,y x,y …". */
  points: string;
  dots: { x: number; y: number; label: string; value: string }[];
  /** Labels under the first and last points (every label would crowd a long series). */
  ends: { x: number; label: string; anchor: 'start' | 'end' }[];
  axis: { y: number };
}

const WIDTH = 640;
const HEIGHT = 240;
const TOP = 24;
const BOTTOM = 40;

/** Vertical bars, one per item, scaled to the largest (a row of zero-height bars when all are 0). */
export function barChart(
  items: { label: string; value: number; text: string }[],
  width = WIDTH,
  height = HEIGHT,
): BarChart {
  const max = Math.max(0, ...items.map((i) => i.value));
  const plot = height - TOP - BOTTOM;
  const slot = items.length ? width / items.length : width;
  const barWidth = Math.max(4, Math.floor(slot * 0.6));
  return {
    width,
    height,
    axis: { y: height - BOTTOM },
    bars: items.map((item, index) => {
      const barHeight = max > 0 ? Math.round((item.value / max) * plot) : 0;
      return {
        label: item.label,
        value: item.text,
        x: Math.round(index * slot + (slot - barWidth) / 2),
        y: height - BOTTOM - barHeight,
        width: barWidth,
        height: barHeight,
      };
    }),
  };
}

/** A line through the points, left to right in order given, scaled to `max` (or the largest value). */
export function lineChart(
  points: { label: string; value: number | null; text: string }[],
  max?: number,
  width = WIDTH,
  height = HEIGHT,
): LineChart {
  const known = points.filter((p) => p.value !== null) as {
    label: string;
    value: number;
    text: string;
  }[];
  const top = max ?? Math.max(0, ...known.map((p) => p.value));
  const plot = height - TOP - BOTTOM;
  const left = 8;
  const span = width - 2 * left;
  const step = points.length > 1 ? span / (points.length - 1) : 0;
  const dots = points.flatMap((p, index) =>
    p.value === null
      ? []
      : [
          {
            x: Math.round(left + index * step + (points.length > 1 ? 0 : span / 2)),
            y: Math.round(height - BOTTOM - (top > 0 ? (p.value / top) * plot : 0)),
            label: p.label,
            value: p.text,
          },
        ],
  );
  const ends: LineChart['ends'] = [];
  if (dots.length) ends.push({ x: dots[0]!.x, label: dots[0]!.label, anchor: 'start' });
  if (dots.length > 1) ends.push({ x: dots.at(-1)!.x, label: dots.at(-1)!.label, anchor: 'end' });
  return {
    width,
    height,
    points: dots.map((d) => `${d.x},${d.y}`).join(' '),
    dots,
    ends,
    axis: { y: height - BOTTOM },
  };
}
