// The report's inline stylesheet: system fonts only (nothing fetched), charts that shrink to the page width.

enum ReportStyle {
    static let css = """
    /* chart text: \(ChartText.size) units in a 640-unit chart stay 12 px or more as laid out at 800 and 1280 px */
    :root { color-scheme: light; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a;
           background: #ffffff; margin: 0 auto; padding: 16px 24px 48px; max-width: 1320px; line-height: 1.45; }
    h1 { font-size: 1.6rem; margin: 0.4em 0 0.2em; }
    h2 { font-size: 1.25rem; margin: 1.6em 0 0.4em; padding-top: 0.4em; border-top: 2px solid #1a1a1a; }
    p.lead { color: #333; margin-top: 0; }
    table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9rem; }
    th, td { border: 1px solid #b8b8b8; padding: 3px 6px; text-align: right; }
    table:not(.summary) td { white-space: nowrap; }
    table:not(.summary) td:first-child { white-space: normal; }
    table.metrics { font-size: 0.85rem; }
    table.summary td { overflow-wrap: anywhere; }
    th:first-child, td:first-child { text-align: left; }
    thead th { background: #eeeeee; }
    td.flag { font-weight: 700; }
    .grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px 28px; }
    figure { margin: 0.6em 0; }
    figcaption { font-weight: 600; margin-bottom: 4px; }
    figcaption span { font-weight: 400; color: #444; }
    svg.chart { width: 100%; height: auto; display: block; background: #ffffff; }
    svg.chart text { font-family: inherit; fill: #1a1a1a; }
    svg.chart .tick, svg.chart .legend-text, svg.chart .value, svg.chart .note, svg.chart .axis-title,
      svg.chart .reference-label { font-size: \(Int(ChartText.size))px; }
    svg.chart .axis-title { font-weight: 600; }
    svg.chart .reference-label { fill: #333333; }
    svg.chart .note, svg.chart .reference-label { paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }
    svg.chart .leader { stroke: #6b6b6b; stroke-width: 1; }
    svg.chart .note-point { fill: #1a1a1a; }
    p.glossary { font-size: 0.85rem; color: #333; margin: 4px 0 0; }
    p.glossary dfn { font-style: normal; font-weight: 600; }
    .verdict { font-size: 1.1rem; border: 2px solid #1a1a1a; padding: 10px 14px; margin: 0.8em 0; }
    .verdict p { margin: 0.3em 0; }
    .verdict .warning, td.warning { font-weight: 700; }
    svg.chart .grid { stroke: #e2e2e2; stroke-width: 1; }
    svg.chart .axis, svg.chart .tick-mark { stroke: #1a1a1a; stroke-width: 1; fill: none; }
    svg.chart .reference { stroke: #555555; stroke-width: 1.25; stroke-dasharray: 4 4; }
    .note-box { border-left: 4px solid #1a1a1a; background: #f4f4f4; padding: 6px 12px; margin: 0.6em 0; }
    footer { margin-top: 3em; color: #555; font-size: 0.85rem; }
    @media print { .grid2 { display: block; } }
    """
}
