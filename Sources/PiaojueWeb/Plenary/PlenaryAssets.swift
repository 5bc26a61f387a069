/// The styles and scripts of the hall's pages, compiled into the binary: no file beside it, no
/// network, no CDN. Served under `/assets/`; the pages' Content-Security-Policy allows only these.
enum PlenaryAssets {
    struct Asset: Sendable {
        let path: String
        let contentType: String
        let text: String
    }

    static let all: [Asset] = [
        Asset(path: "/assets/booth.css", contentType: "text/css; charset=utf-8", text: boothCSS),
        Asset(path: "/assets/booth.js", contentType: "text/javascript; charset=utf-8", text: boothJS),
        Asset(path: "/assets/screen.css", contentType: "text/css; charset=utf-8", text: screenCSS),
        Asset(path: "/assets/screen.js", contentType: "text/javascript; charset=utf-8", text: screenJS),
        Asset(path: "/assets/waiting.js", contentType: "text/javascript; charset=utf-8", text: waitingJS),
    ]

    /// The booth, for a 10-inch tablet in portrait or landscape: text of 20 px and more, buttons a
    /// finger wide, the 表决器 colours (green 赞成, red 反对, yellow 弃权), a visible focus ring.
    static let boothCSS = #"""
        :root { --approve:#1b7f3b; --oppose:#c62828; --abstain:#f2b705; --ink:#1a1a1a; --muted:#4a4f55; --line:#c9ced6;
          --accent:#b71c1c; --focus:#0b57d0; --satisfied:#1b7f3b; --basic:#5e9e2f; --dissatisfied:#c62828; }
        * { box-sizing: border-box; }
        html { font-size: 22px; -webkit-text-size-adjust: 100%; }
        body { margin: 0; color: var(--ink); background: #f4f1ea; line-height: 1.45;
          font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 0 0 2rem; }
        .masthead { background: var(--accent); color: #fff; padding: .7rem 1.2rem; }
        .masthead h1 { margin: 0; font-size: 1.35rem; letter-spacing: .05em; }
        .masthead .sub { margin: .2rem 0 0; font-size: 1rem; }
        .en { color: inherit; opacity: .8; font-size: 20px; }
        .masthead .en { opacity: .9; }
        form { padding: 0 1rem; }
        .credential { background: #fff; border: 2px solid var(--line); border-radius: 12px; padding: .8rem 1rem; margin: 1rem 0 .6rem; }
        .credential label { display: block; font-weight: bold; font-size: 1.1rem; margin-bottom: .4rem; }
        #code { width: 100%; font-size: 1.2rem; padding: .55rem .7rem; border: 2px solid #767b82; border-radius: 8px;
          font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace; letter-spacing: .04em; }
        .help { color: var(--muted); font-size: 20px; margin: .4rem 0 0; }
        .count { position: sticky; top: 0; z-index: 2; margin: 0 -1rem; padding: .55rem 1.2rem; background: #263238; color: #fff;
          font-size: 1.25rem; }
        .count strong { font-size: 1.45rem; }
        main.over .count { background: var(--oppose); }
        .warning { background: #fff3cd; border: 3px solid var(--oppose); border-radius: 10px; padding: .6rem .9rem; margin: .6rem 0;
          font-weight: bold; }
        .items { list-style: none; margin: .8rem 0; padding: 0; }
        .item { background: #fff; border: 2px solid var(--line); border-radius: 12px; padding: .7rem .9rem; margin: 0 0 .7rem; }
        .item .title { margin: 0; font-size: 1.15rem; font-weight: bold; }
        .item .id { display: inline-block; min-width: 2.4em; color: var(--accent); }
        .item .facts { margin: .15rem 0 .5rem; color: var(--muted); font-size: 20px; }
        .marks { display: flex; flex-wrap: wrap; gap: .6rem; align-items: stretch; }
        .choice { position: absolute; opacity: 0; width: 1px; height: 1px; margin: 0; pointer-events: none; }
        .mark { flex: 1 1 7rem; min-height: 3.1rem; display: flex; align-items: center; justify-content: center; font-size: 1.2rem;
          font-weight: bold; border: 3px solid; border-radius: 10px; background: #fff; cursor: pointer; user-select: none;
          -webkit-tap-highlight-color: transparent; }
        .mark.approve, .mark.satisfied { color: var(--approve); border-color: var(--approve); }
        .mark.basic { color: #3f6e1c; border-color: var(--basic); }
        .mark.oppose, .mark.dissatisfied { color: var(--oppose); border-color: var(--oppose); }
        .mark.abstain { color: #6b5200; border-color: var(--abstain); }
        .choice:checked + .mark.approve, .choice:checked + .mark.satisfied { background: var(--approve); color: #fff; }
        .choice:checked + .mark.basic { background: var(--basic); color: #fff; }
        .choice:checked + .mark.oppose, .choice:checked + .mark.dissatisfied { background: var(--oppose); color: #fff; }
        .choice:checked + .mark.abstain { background: var(--abstain); color: #1a1a1a; }
        .choice:checked + .mark::before { content: "✔ "; }
        .choice:focus-visible + .mark, button:focus-visible, #code:focus-visible, a:focus-visible {
          outline: 4px solid var(--focus); outline-offset: 3px; }
        .clear { flex: 0 0 auto; min-height: 3.1rem; font-size: 20px; padding: 0 .9rem; border: 2px solid #8a9099; border-radius: 10px;
          background: #f1f3f4; color: var(--ink); cursor: pointer; }
        .review { background: #fff; border: 3px solid #263238; border-radius: 12px; padding: .8rem 1rem; }
        .review h2 { margin: 0 0 .4rem; font-size: 1.2rem; }
        .summary p { margin: .25rem 0; }
        .summary .word { display: inline-block; min-width: 4.5em; font-weight: bold; }
        .summary .approve { color: var(--approve); } .summary .oppose { color: var(--oppose); } .summary .abstain { color: #6b5200; }
        .confirm { border: 3px solid var(--oppose); background: #fff3cd; border-radius: 10px; padding: .6rem .9rem; margin: .6rem 0; }
        .confirm p { margin: 0 0 .6rem; font-weight: bold; }
        .error { color: var(--oppose); font-weight: bold; min-height: 1.2em; margin: .5rem 0; }
        button { font: inherit; }
        .cast { display: block; width: 100%; min-height: 3.6rem; margin-top: .6rem; font-size: 1.35rem; font-weight: bold; color: #fff;
          background: #0d47a1; border: 0; border-radius: 12px; cursor: pointer; }
        .cast:disabled { background: #7a8696; cursor: wait; }
        .secondary, .danger { min-height: 3.1rem; padding: 0 1.1rem; margin: .3rem .6rem .3rem 0; font-size: 1.1rem; border-radius: 10px;
          cursor: pointer; }
        .secondary { background: #fff; color: var(--ink); border: 3px solid #455a64; }
        .danger { background: var(--oppose); color: #fff; border: 3px solid var(--oppose); }
        .done { margin: 1rem; background: #fff; border: 4px solid var(--approve); border-radius: 14px; padding: 1rem 1.2rem; outline: none; }
        .done h2 { color: var(--approve); margin: 0 0 .6rem; font-size: 1.4rem; }
        .receipt { font-family: "DejaVu Sans Mono", monospace; font-size: 1.5rem; letter-spacing: .06em; }
        .receipt-full { font-size: 20px; word-break: break-all; color: var(--muted); }
        .receipt-full code { font-size: 20px; }
        .qr { margin: .8rem 0; }
        .qr svg { display: block; width: min(440px, 80vw); height: auto; border: 1px solid var(--line); }
        .qr figcaption { font-size: 20px; color: var(--muted); margin-bottom: .4rem; }
        .waiting main, body.waiting main { padding: 2rem; }
        [hidden] { display: none !important; }
        @media (min-width: 1000px) {
          .item { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.15fr); gap: 1rem; align-items: center; }
          .item .facts { margin-bottom: 0; }
        }
        @media (max-width: 600px) { html { font-size: 20px; } .mark { flex-basis: 5.5rem; } }
        """#

    /// The booth's behaviour: the live count, the over-mark warning asked once more, one
    /// review-and-cast step, the receipt and its QR, clearing itself for the next deputy. The code
    /// lives only in the input and in the one request; nothing is stored or logged.
    static let boothJS = #"""
        "use strict";
        (() => {
          const main = document.getElementById("booth");
          if (!main) return;
          const $ = (id) => document.getElementById(id);
          const session = main.dataset.session;
          const vote = main.dataset.shape === "vote";
          const seats = parseInt(main.dataset.seats || "0", 10);
          const unmarked = main.dataset.unmarked || "弃权";
          const form = $("ballot"), code = $("code"), items = Array.from(document.querySelectorAll(".item"));
          const castButton = $("cast"), retryButton = $("retry"), errorBox = $("error"), summary = $("summary");
          const confirmBox = $("confirm"), done = $("done");
          const words = { approve: "赞成", oppose: "反对", abstain: "弃权", satisfied: "满意", basic: "基本满意", dissatisfied: "不满意" };
          const order = vote ? ["approve", "oppose", "abstain"] : ["satisfied", "basic", "dissatisfied", "abstain"];
          let pending = null, confirmed = false, clearing = null;

          const marks = () => {
            const out = {};
            for (const li of items) {
              const checked = li.querySelector("input.choice:checked");
              out[li.dataset.id] = checked ? checked.value : null;
            }
            return out;
          };
          const overmarked = (m) => vote && seats > 0 && Object.values(m).filter((v) => v === "approve").length > seats;

          const update = () => {
            const m = marks();
            const values = Object.values(m);
            $("approved").textContent = String(vote ? values.filter((v) => v === "approve").length : values.filter((v) => v).length);
            const over = overmarked(m);
            main.classList.toggle("over", over);
            $("overmark").hidden = !over;
            summary.textContent = "";
            const groups = order.map((w) => [words[w], w, Object.keys(m).filter((id) => m[id] === w)]);
            groups.push([unmarked, "unmarked", Object.keys(m).filter((id) => !m[id])]);
            for (const [word, cls, ids] of groups) {
              if (!ids.length && cls !== "approve") continue;
              const p = document.createElement("p");
              const w = document.createElement("span");
              w.className = "word " + cls;
              w.textContent = word + " " + ids.length;
              p.append(w, document.createTextNode(ids.length ? ids.join("、") : "—"));
              summary.append(p);
            }
            confirmed = false;
            confirmBox.hidden = true;
          };

          const showError = (text) => { errorBox.textContent = text || ""; };

          const body = () => {
            const m = marks();
            const out = { session: session, credential: code.value.trim() };
            if (vote) {
              out.approve = []; out.oppose = []; out.abstain = [];
              for (const [id, v] of Object.entries(m)) if (v) out[v].push(id);
            } else {
              out.rate = {};
              for (const [id, v] of Object.entries(m)) if (v) out.rate[id] = words[v];
            }
            return out;
          };

          const reset = () => { if (clearing) clearTimeout(clearing); location.replace("/booth"); };

          const showQR = (proof) => {
            if (!proof) return;
            fetch("/api/v1/qr", { method: "POST", body: proof, cache: "no-store", credentials: "omit",
                                  headers: { "Content-Type": "text/plain" } })
              .then((r) => (r.ok ? r.text() : null))
              .then((text) => {
                if (!text) return;
                const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
                if (svg && svg.nodeName === "svg") $("qr").append(document.importNode(svg, true));
              })
              .catch(() => {});
          };

          const showDone = (answer) => {
            pending = null;
            code.value = "";
            form.hidden = true;
            const r = answer.receipt;
            $("receipt-short").textContent = [r.slice(0, 4), r.slice(4, 8), r.slice(8, 12), r.slice(12, 16)].join(" ");
            $("receipt").textContent = r;
            $("index").textContent = String(answer.index);
            $("void-note").hidden = answer.void !== true;
            done.hidden = false;
            done.focus();
            showQR(answer.proof);
            let left = 60;
            const tick = () => {
              left -= 1;
              $("clearing").textContent = left + " 秒后自动清空。Clears in " + left + " s.";
              if (left <= 0) reset(); else clearing = setTimeout(tick, 1000);
            };
            clearing = setTimeout(tick, 1000);
          };

          const send = (payload) => {
            if (castButton.disabled && payload !== pending) return;
            pending = payload;
            castButton.disabled = true;
            retryButton.hidden = true;
            showError("");
            fetch("/api/v1/" + (vote ? "ballots" : "ratings"), {
              method: "POST", cache: "no-store", credentials: "omit",
              headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
            })
              .then((r) => r.json().catch(() => null).then((answer) => [r, answer]))
              .then(([r, answer]) => {
                if (r.ok && answer && answer.receipt) { showDone(answer); return; }
                pending = null;
                castButton.disabled = false;
                showError(answer && answer.error ? answer.error.message : "投票未成功 (" + r.status + ")。The ballot was not cast.");
                if (answer && answer.error && /mistyped-code|no-credential|not-issued|other-session/.test(answer.error.code)) code.focus();
              })
              .catch(() => {
                retryButton.hidden = false;
                retryButton.focus();
                showError("网络中断：选票可能已记录，也可能没有。请按“重新提交”，同一张票只会记录一次。The network failed; send the same ballot again, it is recorded once.");
              });
          };

          form.addEventListener("change", update);
          for (const button of document.querySelectorAll(".clear")) {
            button.addEventListener("click", () => {
              const li = button.closest(".item");
              for (const input of li.querySelectorAll("input.choice")) input.checked = false;
              update();
              const first = li.querySelector("input.choice");
              if (first) first.focus();
            });
          }
          code.addEventListener("keydown", (event) => {
            // A scanner ends the code with Enter: go on to the ballot instead of casting it blank.
            if (event.key === "Enter") {
              event.preventDefault();
              const first = document.querySelector("input.choice");
              if (first) first.focus();
            }
          });
          form.addEventListener("submit", (event) => {
            event.preventDefault();
            if (!code.value.trim()) {
              showError("请先输入或扫描凭证码。Type or scan your credential code first.");
              code.focus();
              return;
            }
            const m = marks();
            if (overmarked(m) && !confirmed) {
              const approvals = Object.values(m).filter((v) => v === "approve").length;
              $("confirm-text").textContent = "您选了 " + approvals + " 个赞成，应选 " + seats + " 个。与纸质选票一样，这张票将作为废票记入，不计入任何项目，投出后不能更改。确定仍要投出吗？"
                + " " + approvals + " 赞成 for " + seats + " seats: as on paper, this ballot will be recorded void, and cannot be changed. Cast it anyway?";
              confirmBox.hidden = false;
              $("confirm-back").focus();
              return;
            }
            send(body());
          });
          $("confirm-back").addEventListener("click", () => {
            confirmBox.hidden = true;
            const first = document.querySelector("input.choice:checked") || document.querySelector("input.choice");
            if (first) first.focus();
          });
          $("confirm-cast").addEventListener("click", () => { confirmed = true; confirmBox.hidden = true; send(body()); });
          retryButton.addEventListener("click", () => { if (pending) send(pending); });
          $("next").addEventListener("click", reset);
          done.addEventListener("click", (event) => { if (!event.target.closest("#qr")) reset(); });
          update();
        })();
        """#

    /// The big screen, 1920 × 1080: figures readable across the hall.
    static let screenCSS = #"""
        :root { --accent:#b71c1c; --ink:#1a1a1a; --muted:#555; --gold:#f2b705; }
        * { box-sizing: border-box; }
        html { font-size: 28px; }
        body { margin: 0; min-height: 100vh; background: #fbf7ef; color: var(--ink);
          font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
        .masthead { background: var(--accent); color: #fff; padding: 1.1rem 2.4rem; border-bottom: .3rem solid var(--gold); }
        .masthead h1 { margin: 0; font-size: 2.1rem; letter-spacing: .12em; }
        .masthead .sub { margin: .3rem 0 0; font-size: 1.1rem; }
        .en { opacity: .75; font-size: .8em; }
        .turnout { display: grid; grid-template-columns: repeat(3, 1fr) 1.6fr; gap: 1.4rem; padding: 2.2rem 2.4rem 1.2rem; }
        .stat { background: #fff; border: .12rem solid #e0d6c4; border-radius: 1rem; padding: 1.1rem 1.4rem; }
        .stat .label { display: block; font-size: 1.1rem; color: var(--muted); }
        .stat .value { display: block; font-size: 3.6rem; font-weight: bold; line-height: 1.2; font-variant-numeric: tabular-nums; }
        .stat.wide .value { color: #0d47a1; }
        .flag { display: inline-block; margin-left: .6rem; font-size: 1.2rem; padding: .1rem .6rem; border-radius: .5rem; vertical-align: middle; }
        .flag.yes { background: #1b7f3b; color: #fff; } .flag.no { background: #c62828; color: #fff; }
        progress { display: block; width: calc(100% - 4.8rem); margin: 0 2.4rem; height: 2.2rem; accent-color: #0d47a1; }
        .state { text-align: center; font-size: 1.6rem; font-weight: bold; margin: 1.6rem 0 .4rem; }
        .note { text-align: center; color: var(--muted); font-size: 1rem; }
        body.result .masthead { padding: .8rem 2.4rem; }
        body.result .masthead h1 { font-size: 1.7rem; }
        body.result .masthead .sub { font-size: .9rem; }
        #result { display: grid; grid-template-columns: minmax(0, .82fr) minmax(0, 1.18fr); grid-template-rows: auto 1fr; }
        #result .masthead { grid-column: 1 / -1; }
        .announce { padding: 1.2rem 1.4rem 1rem 2.4rem; }
        .announce p { font-size: .86rem; line-height: 1.7; margin: 0 0 .5rem; text-indent: 2em; }
        .announce .notice { text-indent: 0; background: #fff3cd; border-left: .3rem solid var(--gold); padding: .3rem .8rem; }
        .chart-box { padding: 1rem 2.4rem 1rem 1rem; }
        .chart-box h2 { font-size: 1rem; margin: 0 0 .3rem; }
        .legend { margin: 0 0 .4rem; font-size: .8rem; }
        .key { display: inline-flex; align-items: center; margin-right: 1.4rem; }
        .swatch { width: .8rem; height: .8rem; margin-right: .4rem; }
        svg.chart { display: block; width: 100%; height: auto; }
        .waiting main { padding: 3rem; }
        """#

    /// The big screen's live counts, from the server-sent events of `/api/v1/sessions/{id}/events`;
    /// the page reloads into the 公告 once the tally is recorded.
    static let screenJS = #"""
        "use strict";
        (() => {
          const main = document.getElementById("screen");
          if (!main || !window.EventSource) return;
          const $ = (id) => document.getElementById(id);
          const states = { open: "投票进行中 Voting in progress", closed: "投票已结束，正在计票 Voting closed, counting", tallied: "计票完毕 Tallied" };
          const source = new EventSource("/api/v1/sessions/" + encodeURIComponent(main.dataset.session) + "/events");
          source.addEventListener("status", (event) => {
            const s = JSON.parse(event.data);
            $("seated").textContent = s.seated;
            $("present").textContent = s.present;
            $("quorum-needed").textContent = s.quorumNeeded;
            const quorum = $("quorum");
            quorum.textContent = s.quorum ? "已达到" : "未达到";
            quorum.className = "flag " + (s.quorum ? "yes" : "no");
            $("cast").textContent = s.cast;
            $("issued").textContent = s.issued;
            const percent = s.issued > 0 ? Math.min(100, Math.floor((s.cast * 100) / s.issued)) : 0;
            $("progress").value = percent;
            $("progress").textContent = percent + "%";
            $("state").textContent = states[s.status] || s.status;
            if (s.status === "tallied") { source.close(); location.reload(); }
          });
        })();
        """#

    /// A waiting page looks again every five seconds.
    static let waitingJS = #"""
        "use strict";
        setTimeout(() => location.reload(), 5000);
        """#
}
