import COpenSSL
import Synchronization

/// A source of random bytes. Production code uses ``SystemRandom`` (OpenSSL `RAND_bytes`); tests
/// inject ``SeededRandom`` so that keys and credentials are reproducible.
public protocol RandomSource: Sendable {
    /// `count` random bytes.
    func bytes(_ count: Int) throws -> [UInt8]
}

/// OpenSSL's CSPRNG (`RAND_bytes`).
public struct SystemRandom: RandomSource {
    public init() {}

    public func bytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw OpenSSLError("RAND_bytes") }
        return out
    }
}

/// A deterministic generator for tests and reproducible demos: SHA-256 in counter mode over a seed.
/// Never use it for real credentials or keys.
public final class SeededRandom: RandomSource {
    private let seed: [UInt8]
    private let counter = Mutex<UInt64>(0)

    /// A generator whose whole output is determined by `seed`.
    public init(seed: some StringProtocol) { self.seed = Array(String(seed).utf8) }

    public func bytes(_ count: Int) throws -> [UInt8] {
        counter.withLock { counter in
            var out: [UInt8] = []
            out.reserveCapacity(count + 32)
            while out.count < count {
                var block = seed
                withUnsafeBytes(of: counter.bigEndian) { block.append(contentsOf: $0) }
                counter += 1
                out.append(contentsOf: SHA256.hash(block))
            }
            return Array(out.prefix(count))
        }
    }
}

