/// The console's styles and script, compiled into the binary and served under `/assets/` (the
/// Content-Security-Policy allows nothing else: no inline script or style).
enum ConsoleAssets {
    static let all: [PlenaryAssets.Asset] = [
        PlenaryAssets.Asset(path: "/assets/console.css", contentType: "text/css; charset=utf-8", text: consoleCSS),
        PlenaryAssets.Asset(path: "/assets/print.css", contentType: "text/css; charset=utf-8", text: printCSS),
        PlenaryAssets.Asset(path: "/assets/console.js", contentType: "text/javascript; charset=utf-8", text: consoleJS),
    ]

    /// Large text and controls for a clerk's desk screen; a visible focus ring.
    static let consoleCSS = #"""
        :root { --ink:#1a1a1a; --muted:#4a4f55; --line:#c9ced6; --accent:#b71c1c; --focus:#0b57d0; --ok:#1b7f3b; --bad:#c62828; }
        * { box-sizing: border-box; }
        html { font-size: 19px; }
        body { margin: 0; color: var(--ink); background: #f4f1ea; line-height: 1.45;
          font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
        main { max-width: 1100px; margin: 0 auto; padding: 0 0 2rem; }
        main.narrow { max-width: 640px; }
        .masthead { background: var(--accent); color: #fff; padding: .6rem 1.1rem; display: flex; flex-wrap: wrap; align-items: center; gap: .3rem 1rem; }
        .masthead h1 { margin: 0; font-size: 1.3rem; flex: 1 1 auto; }
        .masthead a { color: #fff; text-decoration: none; }
        .masthead .sub { margin: 0; flex: 1 1 100%; }
        .en { opacity: .8; font-size: .85em; }
        .card { background: #fff; border: 2px solid var(--line); border-radius: 12px; padding: .8rem 1.1rem; margin: 1rem; }
        .card h2 { margin: 0 0 .6rem; font-size: 1.2rem; }
        label { display: block; font-weight: bold; margin: .5rem 0 .3rem; }
        input[type=text], input[type=search], input[type=password], input[type=number], select, textarea {
          font-size: 1.1rem; padding: .5rem .6rem; border: 2px solid #767b82; border-radius: 8px; min-height: 2.8rem; }
        .wide { width: 100%; max-width: 40rem; }
        textarea { width: 100%; max-width: 40rem; }
        button, a.action { display: inline-block; font-size: 1.05rem; min-height: 2.8rem; padding: .5rem 1rem; margin: .3rem .4rem .3rem 0;
          border: 2px solid #263238; border-radius: 8px; background: #fff; color: #263238; cursor: pointer; text-decoration: none; }
        button.primary { background: #263238; color: #fff; }
        button.danger { background: var(--bad); border-color: var(--bad); color: #fff; }
        button.quiet { background: transparent; color: #fff; border-color: #fff; min-height: 2.2rem; }
        :focus-visible { outline: 4px solid var(--focus); outline-offset: 2px; }
        form.inline { display: inline; }
        .row { margin: .4rem 0; }
        .quorum { position: sticky; top: 0; z-index: 2; margin: 0; padding: .55rem 1.1rem; background: #263238; color: #fff; font-size: 1.1rem; }
        .quorum.reached { background: var(--ok); }
        .notice { margin: 1rem; padding: .6rem .9rem; background: #e8f5e9; border: 2px solid var(--ok); border-radius: 10px; }
        .refusal { margin: 1rem; padding: .6rem .9rem; background: #fff3cd; border: 3px solid var(--bad); border-radius: 10px; font-weight: bold; }
        .code { font-weight: normal; color: var(--muted); }
        .muted { color: var(--muted); }
        .tag { font-size: .8rem; border: 1px solid var(--muted); border-radius: 4px; padding: 0 .3rem; }
        fieldset { border: 1px solid var(--line); border-radius: 8px; margin: .6rem 0; }
        legend { font-weight: bold; }
        .deputies { list-style: none; padding: 0; columns: 3 16rem; }
        .deputies li { break-inside: avoid; display: flex; align-items: center; gap: .4rem; min-height: 2.4rem; }
        .deputies input, .mark-box { width: 1.5rem; height: 1.5rem; }
        .deputies label { display: inline; font-weight: normal; margin: 0; }
        .id { font-family: "DejaVu Sans Mono", monospace; color: var(--accent); }
        table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
        th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: middle; }
        table.marks td { text-align: center; }
        .mark-label { display: inline; font-weight: normal; margin-left: .2rem; }
        .check { display: flex; align-items: center; gap: .5rem; }
        .check input { width: 1.5rem; height: 1.5rem; }
        .check label { display: inline; margin: 0; }
        .differences td, .differences th { vertical-align: top; }
        details { margin-top: .3rem; }
        .screen-only { margin: 1rem; }
        """#

    /// The print pages: A4, slips eight to a page with cut marks, one paper ballot a page.
    static let printCSS = #"""
        @page { size: A4; margin: 10mm; }
        body.print { background: #fff; }
        .slips { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: 1fr 1fr; }
        .slip { position: relative; height: 68mm; padding: 5mm 6mm; border: 1px dashed #888; break-inside: avoid;
          display: grid; grid-template-columns: 32mm 1fr; grid-template-rows: auto 1fr auto; column-gap: 4mm; }
        .slip::before, .slip::after { content: ""; position: absolute; width: 5mm; height: 5mm; border: 0 solid #000; }
        .slip::before { top: -1px; left: -1px; border-top-width: 2px; border-left-width: 2px; }
        .slip::after { bottom: -1px; right: -1px; border-bottom-width: 2px; border-right-width: 2px; }
        .slip-title { grid-column: 1 / 3; margin: 0 0 2mm; font-size: 11pt; font-weight: bold; }
        .slip .qr { grid-row: 2 / 4; }
        .qr svg { width: 32mm; height: 32mm; display: block; }
        .slip-code { margin: 0; font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace; font-size: 12pt; line-height: 1.45; }
        .slip-code .group { display: inline-block; white-space: nowrap; margin-right: .35em; }
        .slip-help { margin: 0; font-size: 8pt; color: #333; }
        .paper { break-after: page; padding: 4mm; }
        .paper h2 { text-align: center; margin: 0; font-size: 16pt; }
        .paper-title { text-align: center; margin: 1mm 0 3mm; font-size: 13pt; }
        .paper-help { font-size: 10pt; }
        .paper-items th, .paper-items td { border: 1px solid #000; font-size: 11pt; }
        .paper-items .box { text-align: center; width: 18mm; }
        .square { display: inline-block; width: 7mm; height: 7mm; border: 1.5px solid #000; }
        .paper-credential { display: flex; gap: 6mm; align-items: center; margin-top: 6mm; }
        @media print { .screen-only { display: none; } }
        """#

    /// The console's behaviour: the quorum line live (the session's server-sent events), a scan
    /// of a ballot's code (code + Enter) moving on to the marks instead of submitting, and the
    /// print buttons.
    static let consoleJS = #"""
        "use strict";
        (function () {
          var line = document.getElementById("quorum");
          if (line && line.dataset.session && window.EventSource) {
            var source = new EventSource("/api/v1/sessions/" + encodeURIComponent(line.dataset.session) + "/events");
            source.addEventListener("status", function (event) {
              var s; try { s = JSON.parse(event.data); } catch (e) { return; }
              var set = function (name, value) { var el = line.querySelector('[data-field="' + name + '"]'); if (el) { el.textContent = value; } };
              set("present", s.present); set("issued", s.issued); set("cast", s.cast);
              set("quorum", s.quorum ? "已达到法定人数 Quorum reached" : "未达到法定人数 No quorum yet");
              line.classList.toggle("reached", !!s.quorum);
            });
          }
          var code = document.querySelector("[data-next-focus]");
          if (code) {
            code.addEventListener("keydown", function (event) {
              if (event.key !== "Enter") { return; }
              event.preventDefault();
              var first = document.querySelector(".mark-box");
              if (first) { first.focus(); }
            });
          }
          Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
            button.addEventListener("click", function () { window.print(); });
          });
        })();
        """#
}
