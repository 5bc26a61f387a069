import CQRencode

/// A QR code symbol made by libqrencode: a square of dark and light modules.
public struct QRCode: Sendable, Equatable {
    /// Error correction, from the most data per symbol (`low`, 7% of it recoverable) to the most
    /// robust (`high`, 30%).
    public enum Correction: Sendable, CaseIterable {
        case low, medium, quartile, high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// The symbol version, 1 (21 × 21 modules) to 40 (177 × 177).
    public let version: Int
    /// Modules per side.
    public let width: Int
    /// Row-major: `dark[y * width + x]`.
    public let dark: [Bool]

    /// A symbol holding `data` in 8-bit mode: the smallest version that holds it at `correction`.
    /// Nil when `data` is empty or more than the largest symbol holds (2,953 bytes at `low`).
    public init?(bytes data: [UInt8], correction: Correction = .medium) {
        guard !data.isEmpty else { return nil }
        // Version 0 lets libqrencode pick the smallest version; 8-bit mode keeps every byte as is.
        guard let symbol = data.withUnsafeBufferPointer({ buffer in
            QRcode_encodeData(Int32(buffer.count), buffer.baseAddress, 0, correction.level)
        }) else { return nil }
        defer { QRcode_free(symbol) }
        let width = Int(symbol.pointee.width)
        guard width > 0, let modules = symbol.pointee.data else { return nil }
        version = Int(symbol.pointee.version)
        self.width = width
        // Bit 0 of each byte is the module's colour; the other bits say what kind of module it is.
        dark = (0..<width * width).map { modules[$0] & 1 == 1 }
    }

    /// The UTF-8 bytes of `text`, at the strongest correction that still fits one symbol.
    public init?(text: String) {
        let bytes = Array(text.utf8)
        for correction in Correction.allCases.reversed() {
            if let code = QRCode(bytes: bytes, correction: correction) {
                self = code
                return
            }
        }
        return nil
    }

    /// Whether the module at column `x`, row `y` is dark (false outside the symbol).
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<width).contains(x), (0..<width).contains(y) else { return false }
        return dark[y * width + x]
    }

    /// The symbol as one SVG image: one path of dark runs on a white square with the four-module
    /// quiet zone the standard asks for, scaled by the viewer (`viewBox` in modules). `label` is its
    /// accessible name.
    public func svg(label: String) -> String {
        let quiet = 4
        let side = width + 2 * quiet
        var path = ""
        path.reserveCapacity(width * width)
        for y in 0..<width {
            var x = 0
            while x < width {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let start = x
                while x < width, isDark(x: x, y: y) { x += 1 }
                path += "M\(start + quiet) \(y + quiet)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges" \
            role="img" aria-label="\(Self.escape(label))"><rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>
            """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
