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

/** A row of a chart's data: field → value (null: no value, drawn as nothing). */
export type ChartRow = Readonly<Record<string, string | number | null>>;

/**
 * A grouped bar chart of `field` over `x`: one bar per `series` value side by
 * side (so that equal figures stay visible instead of hiding one line under
 * another), one panel per `panel` value, each panel with its own y scale
 * (one failure and two failures differ by orders of magnitude, and a log
 * scale cannot show the zeros that matter here). Missing values (null) get
 * no bar.
 */
export function groupedBarChart(options: {
  readonly name: string;
  readonly title: string;
  /** A line under the title (what a missing bar means, say). */
  readonly subtitle?: string;
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
      title: options.subtitle === undefined ? options.title : { text: options.title, subtitle: options.subtitle },
      data: { values: options.rows.map((r) => ({ ...r })) },
      transform: [{ filter: `isValid(datum[${JSON.stringify(y.field)}])` }],
      facet: { column: { field: panel.field, type: 'nominal', title: panel.title } },
      spec: {
        width: 280,
        height: 200,
        mark: { type: 'bar' },
        encoding: {
          x: { field: x.field, type: 'ordinal', title: x.title, axis: { labelAngle: 0 } },
          xOffset: { field: series.field, type: 'nominal', sort: [...series.order] },
          y: { field: y.field, type: 'quantitative', title: y.title },
          color: { field: series.field, type: 'nominal', title: series.title, sort: [...series.order] },
          tooltip: [
            { field: series.field, type: 'nominal' },
            { field: x.field, type: 'ordinal' },
            { field: y.field, type: 'quantitative' },
          ],
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}
