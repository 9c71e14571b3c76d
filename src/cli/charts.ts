/**
 * Charts as Vega-Lite specifications, rendered to SVG without a browser:
 * Vega-Lite compiles a chart to a Vega specification, and a Vega View with
 * the `none` renderer writes its scene as SVG text. Nothing is fetched (the
 * data are inline) and nothing is drawn by hand; the Vega-Lite JSON is kept
 * beside each SVG so a reader can restyle a chart in the Vega editor.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One chart: its file stem, and its Vega-Lite specification with the data inline. */
export interface Chart {
  /** kebab-case file stem: `blocked-time` gives blocked-time.svg and blocked-time.vl.json. */
  readonly name: string;
  readonly spec: TopLevelSpec;
}

/** The SVG text of a Vega-Lite chart (headless: no canvas, no browser, no network). */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A row of a comparison: one algorithm at one size and number of failures, and its measured figures. */
export type ChartRow = Readonly<Record<string, string | number>>;

/**
 * A line chart of `field` over `x`, one line per `series` value, one panel
 * per `panel` value, each panel with its own y scale (one failure and two
 * failures differ by orders of magnitude, and a log scale cannot show the
 * zeros that matter here).
 */
export function lineChart(options: {
  readonly name: string;
  readonly title: string;
  readonly rows: readonly ChartRow[];
  readonly x: { readonly field: string; readonly title: string };
  readonly y: { readonly field: string; readonly title: string };
  readonly series: { readonly field: string; readonly title: string; readonly order: readonly string[] };
  readonly panel: { readonly field: string; readonly title: string };
}): Chart {
  const { x, y, series, panel } = options;
  return {
    name: options.name,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: options.title,
      data: { values: options.rows.map((r) => ({ ...r })) },
      facet: { column: { field: panel.field, type: 'nominal', title: panel.title } },
      spec: {
        width: 260,
        height: 200,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: x.field, type: 'quantitative', title: x.title, axis: { tickMinStep: 1, format: 'd' } },
          y: { field: y.field, type: 'quantitative', title: y.title },
          color: { field: series.field, type: 'nominal', title: series.title, sort: [...series.order] },
          strokeDash: { field: series.field, type: 'nominal', sort: [...series.order], legend: null },
          tooltip: [
            { field: series.field, type: 'nominal' },
            { field: x.field, type: 'quantitative' },
            { field: y.field, type: 'quantitative' },
          ],
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}
