/**
 * Server-rendered SVG charts (no JavaScript in the browser): a vertical bar
 * chart (grouped or stacked series) and a horizontal bar chart.
 *
 * Scales and "nice" axis ticks come from d3-scale; the markup is plain JSX so
 * colours and fonts come from CSS classes in `static/reports.css` (`.chart-s0`…),
 * which keeps the page within the strict CSP (no inline `style`).
 * Accessibility: `role="img"` labelled by the SVG's `<title>` and `<desc>`, a
 * `<title>` tooltip on every bar, and the same numbers as a table in a
 * `<details>` below the chart (WAI "Complex images": long description).
 */
import type { ComponentChildren } from "preact";
import { scaleBand, scaleLinear } from "d3-scale";

/** One series of a bar chart: one value per category. */
export interface ChartSeries {
  label: string;
  values: number[];
}

interface ChartBase {
  /** Unique on the page (used for the title/desc ids). */
  id: string;
  title: string;
  /** One sentence summarising what the chart shows (read by screen readers). */
  desc: string;
  /** Label of the data table's disclosure ("Tabel data"). */
  tableLabel: string;
  /** Header of the first table column (e.g. "Tanggal"). */
  categoryLabel: string;
  /** Formats values for labels, tooltips and the table (default: locale number). */
  format?: (v: number) => string;
}

/**
 * Each chart is drawn once per width in {@link WIDTHS} (viewBox units); CSS
 * container queries (`static/reports.css`, `.chart-v0`…`.chart-v3`) show the
 * one closest to the container's width and `display: none` the others, so the
 * text keeps about the page's font size from a phone to a laptop and screen
 * readers meet exactly one.
 */
const WIDTHS = [340, 460, 640, 900] as const;
const FONT = 13;

function fmtDefault(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/**
 * Vertical bars: one group per category, one bar per series (`stacked` puts
 * them on top of each other). Long category lists show every n-th label, n chosen so
 * the labels (sized by the longest) never overlap at the drawn width.
 */
export function BarChart(
  props: ChartBase & {
    categories: string[];
    series: ChartSeries[];
    stacked?: boolean;
    height?: number;
    maxLabels?: number;
    /** Values are counts (default): axis ticks only at whole numbers. */
    integer?: boolean;
  },
) {
  const { id, categories, series, stacked = false, height = 260, integer = true } = props;
  const format = props.format ?? fmtDefault;
  const totals = categories.map((_, i) => series.reduce((s, se) => s + (se.values[i] ?? 0), 0));
  const max = Math.max(1, ...(stacked ? totals : series.flatMap((s) => s.values)));
  const svg = (W: number, v: number) => {
    const variant = `v${v}`;
    const m = { top: 16, right: 12, bottom: 34, left: 36 };
    // As many category labels as fit side by side without touching: the longest label's width
    // (≈ 0.62 em per glyph of the UI font) plus a gap, so "Jan 2026" labels never run together on a phone.
    const longest = Math.max(1, ...categories.map((c) => c.length));
    const fit = Math.floor((W - m.left - m.right) / (longest * FONT * 0.62 + 6));
    const maxLabels = props.maxLabels ?? Math.max(2, fit);
    // Counts: at most one tick per whole number, so a scale up to 2 reads 0, 1, 2 (never 0.5, 1.5).
    const tickCount = integer ? Math.max(1, Math.min(5, Math.ceil(max))) : 5;
    const y = scaleLinear().domain([0, max]).nice(tickCount).range([height - m.bottom, m.top]);
    const x = scaleBand<number>().domain(categories.map((_, i) => i)).range([m.left, W - m.right]).padding(0.2);
    const inner = scaleBand<number>().domain(series.map((_, i) => i)).range([0, x.bandwidth()]).padding(0.08);
    const ticks = integer ? y.ticks(tickCount).filter((v) => Number.isInteger(v)) : y.ticks(tickCount);
    const step = Math.max(1, Math.ceil(categories.length / maxLabels));
    const tid = `${id}-${variant}`;
    return (
      <svg
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-labelledby={`${tid}-t ${tid}-d`}
        class={`chart-svg chart-${variant}`}
        font-size={FONT}
      >
        <title id={`${tid}-t`}>{props.title}</title>
        <desc id={`${tid}-d`}>{props.desc}</desc>
        <g class="chart-grid" aria-hidden="true">
          {ticks.map((v) => (
            <g>
              <line x1={m.left} x2={W - m.right} y1={y(v)} y2={y(v)} />
              <text x={m.left - 6} y={y(v)} dy="0.32em" text-anchor="end">{format(v)}</text>
            </g>
          ))}
        </g>
        <g class="chart-bars">
          {categories.map((c, i) => {
            let base = 0;
            return series.map((s, si) => {
              const v = s.values[i] ?? 0;
              const x0 = (x(i) ?? 0) + (stacked ? 0 : inner(si) ?? 0);
              const w = stacked ? x.bandwidth() : inner.bandwidth();
              const y1 = y(base + v);
              const y0 = y(base);
              if (stacked) base += v;
              return v > 0
                ? (
                  <rect
                    class={`chart-s${si}`}
                    x={x0}
                    y={y1}
                    width={Math.max(1, w)}
                    height={Math.max(0, y0 - y1)}
                    rx={2}
                  >
                    <title>{`${c} · ${s.label}: ${format(v)}`}</title>
                  </rect>
                )
                : null;
            });
          })}
        </g>
        <g class="chart-axis" aria-hidden="true">
          <line x1={m.left} x2={W - m.right} y1={height - m.bottom} y2={height - m.bottom} />
          {categories.map((c, i) =>
            i % step === 0
              ? (
                <text key={i} x={(x(i) ?? 0) + x.bandwidth() / 2} y={height - m.bottom + 18} text-anchor="middle">
                  {c}
                </text>
              )
              : null
          )}
        </g>
      </svg>
    );
  };
  return (
    <ChartFrame
      {...props}
      legend={series.map((s) => s.label)}
      rows={categories.map((c, i) => [c, ...series.map((s) => format(s.values[i] ?? 0))])}
      headers={series.map((s) => s.label)}
    >
      {WIDTHS.map((w, i) => svg(w, i))}
    </ChartFrame>
  );
}

/** Horizontal bars with the value at the end of each bar (rankings). */
export function HBarChart(props: ChartBase & { items: { label: string; value: number }[]; max?: number }) {
  const { id, items } = props;
  const format = props.format ?? fmtDefault;
  const rowH = 30;
  const height = 12 + Math.max(1, items.length) * rowH;
  const svg = (W: number, v: number) => {
    const variant = `v${v}`;
    const m = { top: 6, right: 44, left: Math.round(W * 0.4) };
    const x = scaleLinear().domain([0, Math.max(props.max ?? 0, 1, ...items.map((i) => i.value))]).range([
      m.left,
      W - m.right,
    ]);
    // ≈ widest glyph width of the UI font (0.62 em under-measured "Menunggu pemba…", clipping its first letter)
    const chars = Math.floor((m.left - 12) / (FONT * 0.7));
    const clip = (s: string) => (s.length > chars ? s.slice(0, chars - 1) + "…" : s);
    const tid = `${id}-${variant}`;
    return (
      <svg
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-labelledby={`${tid}-t ${tid}-d`}
        class={`chart-svg chart-${variant}`}
        font-size={FONT}
      >
        <title id={`${tid}-t`}>{props.title}</title>
        <desc id={`${tid}-d`}>{props.desc}</desc>
        {items.map((it, i) => {
          const yy = m.top + i * rowH;
          return (
            <g class="chart-hbar">
              <text x={m.left - 8} y={yy + rowH / 2} dy="0.32em" text-anchor="end" class="chart-label">
                {clip(it.label)}
              </text>
              <rect
                class="chart-s0"
                x={m.left}
                y={yy + 5}
                width={Math.max(2, x(it.value) - m.left)}
                height={rowH - 10}
                rx={3}
              >
                <title>{`${it.label}: ${format(it.value)}`}</title>
              </rect>
              <text x={x(it.value) + 6} y={yy + rowH / 2} dy="0.32em" class="chart-value">{format(it.value)}</text>
            </g>
          );
        })}
      </svg>
    );
  };
  return (
    <ChartFrame {...props} rows={items.map((i) => [i.label, format(i.value)])} headers={[props.title]}>
      {WIDTHS.map((w, i) => svg(w, i))}
    </ChartFrame>
  );
}

/** Figure with caption, legend, the SVG and the data-table fallback. */
function ChartFrame(
  props: ChartBase & { children: ComponentChildren; rows: string[][]; headers: string[]; legend?: string[] },
) {
  return (
    <figure class="chart" aria-labelledby={`${props.id}-cap`}>
      <figcaption id={`${props.id}-cap`} class="chart-caption">{props.title}</figcaption>
      {props.legend && props.legend.length > 1
        ? (
          <ul class="chart-legend" aria-hidden="true">
            {props.legend.map((l, i) => (
              <li>
                <span class={`chart-swatch chart-s${i}`} />
                {l}
              </li>
            ))}
          </ul>
        )
        : null}
      {props.children}
      <details class="chart-table">
        <summary>{props.tableLabel}</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{props.categoryLabel}</th>
                {props.headers.map((h, i) => <th key={i} scope="col">{h}</th>)}
              </tr>
            </thead>
            <tbody>
              {props.rows.map(([c, ...vals]) => (
                <tr>
                  <th scope="row">{c}</th>
                  {vals.map((v, i) => <td key={i}>{v}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
