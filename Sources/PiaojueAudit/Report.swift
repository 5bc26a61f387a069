public import PiaojueCrypto
import PiaojueDomain

/// What `report.html` and `report.md` show, independent of the session's shape.
public struct ReportModel: Sendable {
    /// One horizontal bar: an item (candidate or project) and its stacked counts.
    public struct Bar: Sendable {
        public var id: String
        public var title: String
        public var segments: [(label: String, count: Int, color: String)]
        /// 当选 / 未当选 / 满意 …, shown at the end of the bar.
        public var outcome: String
        public var highlighted: Bool

        public init(id: String, title: String, segments: [(label: String, count: Int, color: String)], outcome: String, highlighted: Bool) {
            self.id = id
            self.title = title
            self.segments = segments
            self.outcome = outcome
            self.highlighted = highlighted
        }
    }

    public var body: String
    public var title: String
    public var subtitle: String
    /// The 公告 paragraphs, Chinese first.
    public var announcement: [String]
    /// Label/value rows: attendance and ballots.
    public var facts: [(String, String)]
    /// Label/value rows: the frozen rules and fingerprints.
    public var rules: [(String, String)]
    public var bars: [Bar]
    /// The threshold line on the bar scale (赞成 needed), if any.
    public var threshold: (count: Int, label: String)?
    /// The count the full bar width stands for.
    public var scale: Int
    public var chartTitle: String
    /// Runoff, shortfall, budget and other notes.
    public var notes: [String]
    /// Checkpoint facts and the commands to verify.
    public var checkpointOrigin: String
    public var checkpointSize: Int
    public var checkpointRootBase64: String
    public var checkpointRootHex: String
    public var generated: String
    /// The body key's fingerprint (``KeyFingerprint``), to compare with the one read out or posted
    /// at the session.
    public var keyFingerprint = ""
    /// The ledger's crypto suite: which hash `merkle_root.py` and the by-hand commands use.
    public var suite: CryptoSuite = .standard
}

/// Renders the report as one self-contained HTML page (inline CSS and SVG, no network, printable)
/// and as Markdown.
public enum ReportRenderer {
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// The shell commands anyone can run in the bundle directory.
    public static let verifyCommands = [
        "head -n 3 checkpoint > note.txt",
        "sed -n 5p checkpoint | awk '{print $NF}' | base64 -d | tail -c 64 > sig.bin",
        "openssl pkeyutl -verify -pubin -inkey body.pub.pem -rawin -in note.txt -sigfile sig.bin",
        "python3 merkle_root.py ledger.jsonl   # 脚本照抄 Piaojue 的 README，不用别人给的副本；须打印 checkpoint 第 3 行 / the script as printed in Piaojue's README, never a copy handed to you; must print line 3 of checkpoint",
        "piaojue audit verify .",
    ]

    /// The by-hand commands of a gm bundle: SM2 with SM3 and the distinguishing ID, the body's line
    /// found by trying each signature line (an Ed25519 line may come first).
    public static let gmVerifyCommands = [
        "head -n 3 checkpoint > note.txt",
        "awk 'NR > 4 { print $NF }' checkpoint | while read -r s; do printf '%s' \"$s\" | base64 -d | tail -c +5 > sig.der; openssl pkeyutl -verify -pubin -inkey body.pub.pem -rawin -in note.txt -sigfile sig.der -digest sm3 -pkeyopt distid:1234567812345678 2>/dev/null; done   # 须有一行 Signature Verified Successfully / one line must say Signature Verified Successfully",
        "python3 merkle_root.py ledger.jsonl   # 脚本照抄 Piaojue 的 README（SM3 版），不用别人给的副本；须打印 checkpoint 第 3 行 / the script as printed in Piaojue's README (SM3 variant), never a copy handed to you; must print line 3 of checkpoint",
        "piaojue audit verify .",
    ]

    /// The by-hand commands for a bundle of `suite`.
    public static func verifyCommands(for suite: CryptoSuite) -> [String] {
        switch suite {
        case .standard: verifyCommands
        case .gm: gmVerifyCommands
        }
    }

    /// Whether a report line is one of those added after payload format 1 (the key fingerprint,
    /// the pinning advice, the verification commands): a report an earlier version published is
    /// checked without them.
    static func addedSinceFormat1(_ line: String) -> Bool {
        line.contains("机关公钥指纹") || line.contains("--trusted-key") || line.contains("merkle_root.py ledger.jsonl")
    }

    /// The few lines of Python that recompute the Merkle root of `ledger.jsonl` (RFC 9162).
    public static let merkleScript = """
        import base64, hashlib, sys
        leaves = [hashlib.sha256(b"\\x00" + line.rstrip(b"\\n")).digest() for line in open(sys.argv[1], "rb")]
        def root(h):
            if not h: return hashlib.sha256(b"").digest()
            if len(h) == 1: return h[0]
            k = 1
            while k * 2 < len(h): k *= 2
            return hashlib.sha256(b"\\x01" + root(h[:k]) + root(h[k:])).digest()
        print(base64.b64encode(root(leaves)).decode())

        """

    /// ``merkleScript`` with SM3 in place of SHA-256 (Python's hashlib takes `sm3` from OpenSSL):
    /// what a gm bundle carries.
    public static let gmMerkleScript = """
        import base64, hashlib, sys
        h = lambda b: hashlib.new("sm3", b).digest()
        leaves = [h(b"\\x00" + line.rstrip(b"\\n")) for line in open(sys.argv[1], "rb")]
        def root(x):
            if not x: return h(b"")
            if len(x) == 1: return x[0]
            k = 1
            while k * 2 < len(x): k *= 2
            return h(b"\\x01" + root(x[:k]) + root(x[k:]))
        print(base64.b64encode(root(leaves)).decode())

        """

    /// The `merkle_root.py` of a bundle of `suite`.
    public static func merkleScript(for suite: CryptoSuite) -> String {
        switch suite {
        case .standard: merkleScript
        case .gm: gmMerkleScript
        }
    }

    public static func html(_ model: ReportModel) -> String {
        let e = escape
        var h = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(model.title))</title>
            <style>
            :root { --ink:#1a1a1a; --muted:#5f6368; --line:#d0d4d9; --accent:#b71c1c; }
            body { font-family: "Noto Sans CJK SC","Noto Serif CJK SC","PingFang SC","Microsoft YaHei",sans-serif; color:var(--ink); margin:0; background:#f6f6f4; }
            main { max-width: 860px; margin: 24px auto; background:#fff; padding: 32px 40px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
            h1 { font-size: 26px; text-align:center; color: var(--accent); margin: 0 0 4px; letter-spacing: 2px; }
            .sub { text-align:center; color: var(--muted); margin: 0 0 20px; font-size: 14px; }
            h2 { font-size: 18px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 28px; }
            .en { color: var(--muted); font-size: 0.86em; }
            p.announce { font-size: 16px; line-height: 1.9; text-indent: 2em; margin: 6px 0; }
            table { border-collapse: collapse; width: 100%; font-size: 14px; }
            th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
            th { background: #f1f3f4; width: 38%; }
            td.num { text-align:right; font-variant-numeric: tabular-nums; }
            .chosen { font-weight: bold; }
            .legend span { display:inline-block; margin-right: 14px; font-size: 13px; }
            .legend i { display:inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
            code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 12.5px; }
            pre { background: #f6f8fa; border: 1px solid var(--line); padding: 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
            .note { background:#fff8e1; border-left: 4px solid #f9a825; padding: 6px 10px; margin: 8px 0; }
            footer { color: var(--muted); font-size: 12px; margin-top: 28px; text-align:center; }
            @media print { body { background:#fff; } main { box-shadow:none; margin:0; padding: 0 8mm; } h2 { break-after: avoid; } svg, table { break-inside: avoid; } }
            </style></head><body><main>
            <h1>\(e(model.title))</h1>
            <p class="sub">\(e(model.subtitle))</p>
            <h2>公告 <span class="en">Announcement</span></h2>

            """
        for paragraph in model.announcement { h += "<p class=\"announce\">\(e(paragraph))</p>\n" }
        for note in model.notes { h += "<div class=\"note\">\(e(note))</div>\n" }
        h += "<h2>\(e(model.chartTitle))</h2>\n"
        h += legend(model)
        h += chart(model)
        h += "<h2>投票情况 <span class=\"en\">Attendance and ballots</span></h2>\n" + table(model.facts)
        h += "<h2>冻结的票决办法 <span class=\"en\">Frozen rules</span></h2>\n" + table(model.rules)
        h += """
            <h2>如何核验 <span class="en">How to verify</span></h2>
            <p>本公告所依据的账本共 \(model.checkpointSize) 条记录，由检查点签名锁定。任何人都可以离线核验，不必信任本系统。
            <span class="en">The record behind this announcement holds \(model.checkpointSize) entries, sealed by a signed checkpoint. Anyone can verify it offline without trusting this software.</span></p>
            \(table([
                ("检查点名称 Origin", model.checkpointOrigin), ("条目数 Tree size", String(model.checkpointSize)),
                ("默克尔根 Root (base64)", model.checkpointRootBase64), ("默克尔根 Root (hex)", model.checkpointRootHex),
                ("机关公钥指纹 Body key fingerprint", model.keyFingerprint),
            ]))
            <p>请将机关公钥指纹与会上宣读或张贴的指纹比对；核验时用 <code>piaojue audit verify . --trusted-key 公钥</code> 固定该公钥。
            <span class="en">Compare the body key fingerprint with the one read out or posted at the session, and pin the key with <code>--trusted-key</code> when verifying.</span></p>
            <p>在公开包目录中运行 <span class="en">Run in the bundle directory</span>:</p>
            <pre>\(e(verifyCommands(for: model.suite).joined(separator: "\n")))</pre>
            <p><code>merkle_root.py</code>:</p>
            <pre>\(e(merkleScript(for: model.suite)))</pre>
            <footer>\(e(model.body)) · 票决 Piaojue · \(e(model.generated))</footer>
            </main></body></html>

            """
        return h
    }

    static func table(_ rows: [(String, String)]) -> String {
        "<table>\n" + rows.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined(separator: "\n") + "\n</table>\n"
    }

    static func legend(_ model: ReportModel) -> String {
        guard let first = model.bars.first else { return "" }
        var out = "<p class=\"legend\">"
        for segment in first.segments { out += "<span><i style=\"background:\(segment.color)\"></i>\(escape(segment.label))</span>" }
        if let threshold = model.threshold {
            out += "<span><i style=\"background:#b71c1c;width:3px\"></i>\(escape(threshold.label))</span>"
        }
        return out + "</p>\n"
    }

    static func chart(_ model: ReportModel) -> String {
        let labelWidth = 250.0
        let barWidth = 470.0
        let outcomeWidth = 135.0
        let rowHeight = 30.0
        let top = 22.0
        let width = labelWidth + barWidth + outcomeWidth
        let height = top + rowHeight * Double(model.bars.count) + 10
        let scale = Double(max(model.scale, 1))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(model.chartTitle))\" font-size=\"13\">\n"
        for tick in 0...4 {
            let x = labelWidth + barWidth * Double(tick) / 4
            svg += "<line x1=\"\(x)\" y1=\"\(top - 4)\" x2=\"\(x)\" y2=\"\(height - 8)\" stroke=\"#e3e3e3\"/>"
            svg += "<text x=\"\(x)\" y=\"\(top - 8)\" text-anchor=\"middle\" fill=\"#777\" font-size=\"11\">\(Int((scale * Double(tick) / 4).rounded()))</text>\n"
        }
        for (n, bar) in model.bars.enumerated() {
            let y = top + rowHeight * Double(n)
            let label = bar.title.count > 14 ? String(bar.title.prefix(13)) + "…" : bar.title
            svg += "<text x=\"4\" y=\"\(y + 19)\" font-weight=\"\(bar.highlighted ? "bold" : "normal")\">\(escape(bar.id)) \(escape(label))</text>\n"
            var x = labelWidth
            for segment in bar.segments where segment.count > 0 {
                let w = barWidth * Double(segment.count) / scale
                svg += "<rect x=\"\(x)\" y=\"\(y + 5)\" width=\"\(w)\" height=\"\(rowHeight - 10)\" fill=\"\(segment.color)\"><title>\(escape(segment.label)) \(segment.count)</title></rect>"
                if w > 26 {
                    svg += "<text x=\"\(x + w / 2)\" y=\"\(y + 19)\" text-anchor=\"middle\" fill=\"#fff\" font-size=\"11\">\(segment.count)</text>"
                }
                x += w
            }
            svg += "<text x=\"\(labelWidth + barWidth + 8)\" y=\"\(y + 19)\" fill=\"\(bar.highlighted ? "#1b5e20" : "#555")\" font-weight=\"\(bar.highlighted ? "bold" : "normal")\">\(escape(bar.outcome))</text>\n"
        }
        if let threshold = model.threshold {
            let x = labelWidth + barWidth * Double(threshold.count) / scale
            svg += "<line x1=\"\(x)\" y1=\"\(top - 2)\" x2=\"\(x)\" y2=\"\(height - 8)\" stroke=\"#b71c1c\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>\n"
        }
        return svg + "</svg>\n"
    }

    /// Text made inert in Markdown (``MarkdownText/escape(_:)``).
    public static func markdownText(_ text: String) -> String { MarkdownText.escape(text) }

    public static func markdown(_ model: ReportModel) -> String {
        let md = markdownText
        func table(_ rows: [(String, String)]) -> String {
            "| 项目 Item | 内容 Value |\n|---|---|\n" + rows.map { "| \(md($0.0)) | \(md($0.1)) |" }.joined(separator: "\n") + "\n"
        }
        var m = "# \(md(model.title))\n\n\(md(model.subtitle))\n\n## 公告 Announcement\n\n"
        m += model.announcement.map(md).joined(separator: "\n\n") + "\n\n"
        for note in model.notes { m += "> \(md(note))\n\n" }
        m += "## \(md(model.chartTitle))\n\n"
        let labels = model.bars.first?.segments.map(\.label) ?? []
        m += "| 编号 | 项目 | " + labels.map(md).joined(separator: " | ") + " | 结果 |\n"
        m += "|---|---|" + labels.map { _ in "---:|" }.joined() + "---|\n"
        for bar in model.bars {
            m += "| \(md(bar.id)) | \(md(bar.title)) | " + bar.segments.map { String($0.count) }.joined(separator: " | ") + " | \(md(bar.outcome)) |\n"
        }
        if let threshold = model.threshold { m += "\n\(md(threshold.label))\n" }
        m += "\n## 投票情况 Attendance and ballots\n\n" + table(model.facts)
        m += "\n## 冻结的票决办法 Frozen rules\n\n" + table(model.rules)
        m += "\n## 如何核验 How to verify\n\n"
        m += table([
            ("检查点名称 Origin", model.checkpointOrigin), ("条目数 Tree size", String(model.checkpointSize)),
            ("默克尔根 Root (base64)", model.checkpointRootBase64), ("默克尔根 Root (hex)", model.checkpointRootHex),
            ("机关公钥指纹 Body key fingerprint", model.keyFingerprint),
        ])
        m += "\n请将机关公钥指纹与会上宣读或张贴的指纹比对；核验时用 `piaojue audit verify . --trusted-key 公钥` 固定该公钥。Compare the fingerprint with the one read out or posted at the session; pin the key with `--trusted-key`.\n"
        m += "\n```sh\n" + verifyCommands(for: model.suite).joined(separator: "\n") + "\n```\n\n`merkle_root.py`:\n\n```python\n"
            + merkleScript(for: model.suite) + "```\n"
        return m
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
