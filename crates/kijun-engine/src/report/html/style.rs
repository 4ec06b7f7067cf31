//! The report's inline style sheet: screen and A4 print in one, no external resource.

pub(super) const CSS: &str = r#"
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #444; }
  @top-right { content: var(--running, ""); font-size: 8pt; color: #444; } }
:root { --ink: #1b1b1b; --muted: #505050; --rule: #8c96a0; --head: #e6eaef; --band: #f4f6f8;
  --accent: #1f3a5f; }
* { box-sizing: border-box; }
html { font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP", "Noto Sans JP",
  "Yu Gothic", YuGothic, Meiryo, sans-serif; font-size: 10pt; line-height: 1.55; color: var(--ink);
  background: #d9dcdf; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
.sheet { width: 210mm; margin: 8mm auto; padding: 14mm 14mm 16mm; background: #fff;
  box-shadow: 0 1px 6px rgba(0,0,0,.25); }
header.doc { border-bottom: 3px double var(--accent); padding-bottom: 4mm; margin-bottom: 6mm; }
.docline { display: flex; justify-content: space-between; font-size: 8.5pt; color: var(--muted); }
h1 { font-size: 19pt; font-weight: 700; text-align: center; letter-spacing: .04em; margin: 8mm 0 1mm; }
html[lang=ja] h1 { letter-spacing: .25em; }
html[lang=en] th { overflow-wrap: normal; }
.subtitle { text-align: center; margin: 0 0 2mm; color: var(--muted); }
h2 { font-size: 12.5pt; margin: 9mm 0 3mm; padding: 1.5mm 3mm; background: var(--band);
  border-left: 5px solid var(--accent); break-after: avoid; }
h3 { font-size: 11pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid var(--rule);
  break-after: avoid; }
h4 { font-size: 10pt; margin: 0 0 1.5mm; break-after: avoid; }
p { margin: 1.5mm 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 3mm; font-size: 8.8pt; }
th, td { border: 1px solid var(--rule); padding: 1.2mm 1.8mm; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; word-break: normal; }
thead th { background: var(--head); font-weight: 700; }
tbody th { background: var(--band); font-weight: 600; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.c, th.c { text-align: center; }
.nw { white-space: nowrap; }
table.articles td:first-child, table.articles th:first-child { white-space: nowrap; }
code, pre, .mono { font-family: "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK JP",
  "Noto Sans Mono", "DejaVu Sans Mono", monospace; font-size: 8.3pt; }
.hash { font-size: 7.4pt; letter-spacing: -.01em; }
td code { background: #f1f3f5; padding: 0 .4mm; border-radius: .5mm; }
small, .small { font-size: 8pt; color: var(--muted); }
table.meta th { width: 28%; }
table.totals th { font-size: 8pt; vertical-align: middle; word-break: keep-all; overflow-wrap: normal; }
.verdict { font-weight: 700; }
.verdict.fail { color: #8b1a1a; }
.verdict.pass { color: #1d5b2a; }
.verdict.warn { color: #7a4b00; }
.tag { display: inline-block; padding: 0 1.5mm; border: 1px solid currentColor; border-radius: 1mm;
  font-size: 8pt; font-weight: 700; white-space: nowrap; }
.s-fail { color: #8b1a1a; } .s-pass { color: #1d5b2a; } .s-warn { color: #7a4b00; } .s-man { color: #3c4a5a; }
.finding { border: 1px solid var(--rule); border-left: 4px solid var(--accent); padding: 2mm 3mm;
  margin: 0 0 4mm; break-inside: avoid; }
.finding.sev-high { border-left-color: #8b1a1a; } .finding.sev-medium { border-left-color: #b5562a; }
.finding.sev-low { border-left-color: #c99a2e; } .finding.sev-info { border-left-color: #7d8fa3; }
.finding.done { border-left-color: #9aa0a6; }
.finding p.cause { margin: 0 0 1.5mm; }
.finding table.members th { width: auto; }
.finding table { margin: 1mm 0 2mm; }
.finding table th { width: 17%; }
pre.src { margin: 0; padding: 1.5mm 0; border: 1px solid var(--rule); background: #fafafa;
  white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.45; }
pre.src span.l { display: block; padding: 0 2mm 0 0; }
pre.src span.l.hit { background: #fbecec; }
pre.src span.no { display: inline-block; width: 10mm; padding-right: 2mm; margin-right: 2mm; text-align: right;
  color: #777; border-right: 1px solid #ccc; user-select: none; }
pre.src mark { background: #f3c5c5; color: inherit; text-decoration: underline; }
figure.chart { margin: 2mm 0 3mm; }
figure.chart figcaption { font-size: 8.5pt; color: var(--muted); }
.legend span { margin-right: 4mm; white-space: nowrap; }
.legend i { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; vertical-align: -0.3mm; }
.box { border: 1px solid var(--rule); padding: 2mm 3mm; background: var(--band); }
table.sign td { height: 14mm; }
table.sign th { width: 26%; }
.checks span { margin-right: 8mm; }
footer.doc { margin-top: 8mm; padding-top: 2mm; border-top: 1px solid var(--rule); font-size: 8pt;
  color: var(--muted); display: flex; justify-content: space-between; }
@media screen and (max-width: 820px) {
  /* A phone or narrow window: the A4 sheet fits the screen and wide tables scroll sideways. */
  .sheet { width: auto; margin: 0; padding: 5mm 4mm 8mm; box-shadow: none; }
  html[lang=ja] h1 { letter-spacing: .08em; }
  section { overflow-x: auto; }
  section table { min-width: 150mm; }
  section table.meta, .finding table { min-width: 0; }
}
@media print {
  html { background: #fff; }
  .sheet { width: auto; margin: 0; padding: 0; box-shadow: none; }
  section.major { break-before: page; }
  h2 { margin-top: 0; }
  section.minor h2 { margin-top: 8mm; }
  section.sign { break-inside: avoid; }
}
"#;
