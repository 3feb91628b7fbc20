/**
 * Category labels of the server-rendered bar chart (components/charts.tsx) never run into
 * each other: on the phone-width drawing, twelve "Jan 2026"-style labels are thinned until
 * neighbours are at least one label wide apart (they overlapped at 375 px before).
 */
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { BarChart } from "@/components/charts.tsx";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"].map((m) =>
  `${m} 2026`
);

function axisLabels(html: string, variant: number): number[] {
  const svg = html.split(`chart-v${variant}`)[1].split("</svg>")[0];
  const axis = svg.split('class="chart-axis"')[1];
  return [...axis.matchAll(/<text[^>]*x="([\d.]+)"[^>]*text-anchor="middle"[^>]*>([^<]+)<\/text>/g)].map((m) =>
    Number(m[1])
  );
}

Deno.test("charts: month labels are spaced at least one label width apart at every drawn width", () => {
  const html = renderToString(
    BarChart({
      id: "c",
      title: "Sesi",
      desc: "Sesi per bulan",
      tableLabel: "Tabel data",
      categoryLabel: "Bulan",
      categories: MONTHS,
      series: [{ label: "Sesi", values: MONTHS.map(() => 3) }],
    }),
  );
  const labelWidth = "Jan 2026".length * 13 * 0.62; // the font size the chart draws with
  for (const v of [0, 1, 2, 3]) {
    const xs = axisLabels(html, v);
    assert.ok(xs.length >= 2, `v${v}: some labels shown (${xs.length})`);
    for (let i = 1; i < xs.length; i++) {
      assert.ok(xs[i] - xs[i - 1] >= labelWidth, `v${v}: labels ${i - 1} and ${i} are ${xs[i] - xs[i - 1]} apart`);
    }
  }
  assert.equal(axisLabels(html, 3).length, 12, "the laptop drawing has room for every month");
});
