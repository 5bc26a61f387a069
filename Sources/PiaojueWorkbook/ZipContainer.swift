import CZlibCRC
import Foundation
import ZIPFoundation

/// The ZIP container of a workbook, read through ZIPFoundation with the limits checked on every
/// entry's declared sizes before anything is inflated, and again while inflating: an entry is cut
/// off at its declared size (or the limit) even when the declaration lied.
///
/// ZIPFoundation reads from a file: its in-memory backing traps on a read past the end (a
/// central directory pointing outside the archive, found by fuzzing), where `fread` just returns
/// nothing. The bytes are spooled to a private file (mode 0600, in /dev/shm when there is one),
/// opened, and unlinked at once, so what is parsed is exactly what was hashed and nothing stays.
final class ZipContainer {
    let file: String
    let limits: WorkbookLimits
    private let archive: Archive
    /// Entries by lower-cased path (OPC part names are case-insensitive).
    private var entries: [String: Entry] = [:]
    /// Bytes inflated so far, over all parts read.
    private var inflated: UInt64 = 0

    init(bytes: [UInt8], file: String, limits: WorkbookLimits) throws(WorkbookFailure) {
        self.file = file
        self.limits = limits
        // ZIPFoundation looks for the end-of-central-directory record by reading backwards one
        // byte at a time through the whole file, and leaks the in-memory file when it finds none:
        // a record that is not where the format puts it (the last 22 + 65,535 bytes) is refused here.
        guard Self.hasEndRecord(bytes) else {
            throw .damaged(file: file, part: nil, detail: "no ZIP end-of-central-directory record / 找不到 ZIP 目录")
        }
        archive = try Self.spooled(bytes, file: file)
        var declaredTotal: UInt64 = 0
        var count = 0
        for entry in archive {
            count += 1
            guard count <= limits.maximumEntries else { throw .tooManyEntries(file: file, limit: limits.maximumEntries) }
            let path = entry.path
            guard Self.isSafe(path), entry.type != .symlink else { throw .unsafePath(file: file, path: Self.shown(path)) }
            let size = entry.uncompressedSize
            guard size <= limits.maximumEntryBytes else {
                throw .tooLarge(file: file, part: Self.shown(path), bytes: size, limit: limits.maximumEntryBytes)
            }
            let (sum, overflow) = declaredTotal.addingReportingOverflow(size)
            guard !overflow, sum <= limits.maximumTotalBytes else {
                throw .tooLarge(file: file, part: nil, bytes: overflow ? .max : sum, limit: limits.maximumTotalBytes)
            }
            declaredTotal = sum
            if size > limits.ratioGraceBytes {
                let ratio = size / max(entry.compressedSize, 1)
                guard ratio <= limits.maximumRatio else {
                    throw .compressionRatio(file: file, part: Self.shown(path), ratio: ratio, limit: limits.maximumRatio)
                }
            }
            guard entry.type == .file else { continue }
            let key = path.lowercased()
            guard entries[key] == nil else {
                throw .damaged(file: file, part: Self.shown(path), detail: "two entries share one name / 有两个同名条目")
            }
            entries[key] = entry
        }
    }

    /// Whether the archive holds `part`.
    func contains(_ part: String) -> Bool { entries[part.lowercased()] != nil }

    /// Inflates `part` into a private scratch file (checked chunk by chunk: sizes, CRC, no DTD,
    /// UTF-8), then parses it from there with `stream`: XMLParser pulls its bytes from an
    /// `InputStream`, ZIPFoundation pushes them, and a file between the two keeps memory bounded
    /// without a second thread.
    func parse(_ part: String, into stream: XMLStream) throws(WorkbookFailure) {
        let scratch = try Self.scratchFile(in: NSTemporaryDirectory())
        defer { close(scratch) }
        var screen = MarkupScreen()
        try inflate(part) { (bytes) throws(WorkbookFailure) in
            if let why = screen.check(bytes) {
                throw WorkbookFailure.badXML(file: file, part: part, line: 1, detail: why)
            }
            guard let base = bytes.baseAddress else { return }
            var written = 0
            while written < bytes.count {
                let n = Foundation.write(scratch, base + written, bytes.count - written)
                guard n > 0 else { throw WorkbookFailure.scratchUnavailable(detail: String(cString: strerror(errno))) }
                written += n
            }
        }
        guard lseek(scratch, 0, SEEK_SET) == 0 else { throw .scratchUnavailable(detail: String(cString: strerror(errno))) }
        try stream.parse(DescriptorInputStream(descriptor: scratch))
    }

    /// A private file (mode 0600) in `directory`, already unlinked: only the descriptor names it.
    private static func scratchFile(in directory: String) throws(WorkbookFailure) -> Int32 {
        var template = Array("\(directory)/piaojue-workbook-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw .scratchUnavailable(detail: "\(directory): \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { _ = unlink(base) }
        }
        return fd
    }

    /// Whether the last "PK\u{5}\u{6}" signature in the file's tail, the one ZIPFoundation will
    /// take, begins a complete end-of-central-directory record (22 bytes and its comment).
    static func hasEndRecord(_ bytes: [UInt8]) -> Bool {
        let count = bytes.count
        guard count >= 22 else { return false }
        return bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            var position = count - 22
            let lowest = max(0, count - 22 - 65_535)
            while position >= lowest {
                if raw[position] == 0x50, raw[position + 1] == 0x4B, raw[position + 2] == 0x05, raw[position + 3] == 0x06 {
                    let comment = Int(raw[position + 20]) | Int(raw[position + 21]) << 8
                    return position + 22 + comment <= count
                }
                position -= 1
            }
            return false
        }
    }

    /// `bytes` opened by ZIPFoundation from a private file that is unlinked before this returns.
    private static func spooled(_ bytes: [UInt8], file: String) throws(WorkbookFailure) -> Archive {
        let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NSTemporaryDirectory()
        var template = Array("\(directory)/piaojue-workbook-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw .scratchUnavailable(detail: "\(directory): \(String(cString: strerror(errno)))") }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer {
            unlink(path)
            close(fd)
        }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw .scratchUnavailable(detail: "\(directory): \(String(cString: strerror(errno)))") }
            written += n
        }
        do { return try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw .damaged(file: file, part: nil, detail: "no ZIP central directory / 找不到 ZIP 目录")
        }
    }

    /// A failure raised inside ZIPFoundation's consumer, carried out through its untyped throws.
    private struct Stop: Error {
        let failure: WorkbookFailure
    }

    private func inflate(_ part: String, _ body: (UnsafeRawBufferPointer) throws(WorkbookFailure) -> Void) throws(WorkbookFailure) {
        guard let entry = entries[part.lowercased()] else { throw .missingPart(file: file, part: part) }
        let cap = min(entry.uncompressedSize, limits.maximumEntryBytes)
        var produced: UInt64 = 0
        var checksum = crc32(0, nil, 0)
        do {
            // The CRC-32 by zlib below: ZIPFoundation's own, in Swift, is about 5x slower.
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: true) { data in
                produced += UInt64(data.count)
                self.inflated += UInt64(data.count)
                guard produced <= cap else {
                    throw Stop(failure: .tooLarge(file: self.file, part: part, bytes: produced, limit: cap))
                }
                guard self.inflated <= self.limits.maximumTotalBytes else {
                    throw Stop(failure: .tooLarge(file: self.file, part: nil, bytes: self.inflated, limit: self.limits.maximumTotalBytes))
                }
                var failure: WorkbookFailure?
                data.withUnsafeBytes { raw in
                    if let base = raw.baseAddress {
                        checksum = crc32(checksum, base.assumingMemoryBound(to: Bytef.self), uInt(raw.count))
                    }
                    do throws(WorkbookFailure) { try body(raw) } catch { failure = error }
                }
                if let failure { throw Stop(failure: failure) }
            }
        } catch let stop as Stop {
            throw stop.failure
        } catch {
            throw .damaged(file: file, part: part, detail: Self.describe(error))
        }
        guard UInt32(truncatingIfNeeded: checksum) == entry.checksum else { throw .damaged(file: file, part: part, detail: "CRC32 mismatch / 校验和不符") }
        guard produced == entry.uncompressedSize else {
            throw .damaged(file: file, part: part, detail: "inflated \(produced) bytes, declared \(entry.uncompressedSize) / 解压后的大小与声明不符")
        }
    }

    /// A ZIP path that stays inside the archive: relative, no `..` segment, no NUL, no backslash
    /// or drive letter.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.utf8.contains(0) else { return false }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if let first = segments.first, first.count == 2, first.last == ":" { return false }
        return !segments.contains("..")
    }

    /// A path fit for a message: at most 120 characters, control characters replaced.
    static func shown(_ path: String) -> String {
        let cleaned = String(String.UnicodeScalarView(path.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
        return cleaned.count > 120 ? String(cleaned.prefix(120)) + "…" : cleaned
    }

    private static func describe(_ error: any Error) -> String {
        if let archive = error as? Archive.ArchiveError {
            switch archive {
            case .invalidCRC32: return "CRC32 mismatch / 校验和不符"
            default: return "\(archive)"
            }
        }
        return "deflate stream corrupt / 压缩数据损坏"
    }
}

/// An `InputStream` reading a file descriptor it does not own, for `XMLParser(stream:)`.
final class DescriptorInputStream: InputStream {
    private let descriptor: Int32
    private var ended = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
        super.init(data: Data())
    }

    override func open() {}
    override func close() {}
    override var hasBytesAvailable: Bool { !ended }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength len: Int) -> Int {
        while true {
            let n = Foundation.read(descriptor, buffer, len)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { ended = true }
            return n
        }
    }
}
