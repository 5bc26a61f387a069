import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// `JSONValue.parseCanonical`: the canonical check made while parsing agrees with writing the value
/// out again, and the member ranges it gives are the members' canonical bytes.
@Suite struct CanonicalParseTests {
    static let lines: [String] = [
        #"{"index":3,"kind":"session.paper","payload":{"choices":{"abstain":[],"approve":["P1","P2"]},"session":"S1","via":"paper"},"prev":"00","sig":"c2ln","signer":"a2V5","time":"2025-01-15T09:30:00Z"}"#,
        #"{"a":"\u0001\u001f\b\t\n\f\r\"\\ "# + "\u{7f} 中文 😀" + #"","b":-5,"c":[true,false,null,{}],"d":{"":0,"é":1,"😀":2,"｡":3}}"#,
    ]

    @Test(arguments: [
        (#"{"a":1}"#, true), (#"{ "a":1}"#, false), (#"{"a":1}\#n"#, false), (#"{"b":1,"a":2}"#, false),
        (#"{"a":-0}"#, false), (#"{"a":"\/"}"#, false), (#"{"a":"\u0041"}"#, false), (#"{"a":"\u001F"}"#, false),
        (#"{"a":"\u001f"}"#, true), (#"{"a":"\u0009"}"#, false), (#"{"a":"\t"}"#, true), (#"[1,{"b":0,"a":1}]"#, false),
        (#"{"😀":1,"｡":2}"#, true), (#"{"｡":1,"😀":2}"#, false),
    ])
    func knownCases(_ text: String, _ canonical: Bool) throws {
        let parsed = try JSONValue.parseCanonical(Array(text.utf8))
        #expect(parsed.isCanonical == canonical)
        #expect(parsed.isCanonical == (parsed.value.canonicalBytes == Array(text.utf8)))
    }

    @Test func nearMissesAgreeWithRewriting() throws {
        let alphabet = Array(#" {}[]":,\/-0123456789abcdefuABCDEFntrl"#.utf8) + [0x09, 0x0a]
        var random = SplitMix(seed: 7)
        var parsedCount = 0
        for text in Self.lines {
            let line = Array(text.utf8)
            let original = try JSONValue.parseCanonical(line)
            #expect(original.isCanonical)
            var inputs = [line]
            for _ in 0..<3_000 {
                var mutated = line
                let at = Int.random(in: 0..<mutated.count, using: &random)
                let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                switch Int.random(in: 0..<3, using: &random) {
                case 0: mutated[at] = byte
                case 1: mutated.insert(byte, at: at)
                default: mutated.remove(at: at)
                }
                inputs.append(mutated)
            }
            for input in inputs {
                guard let parsed = try? JSONValue.parseCanonical(input) else {
                    #expect(throws: JSONParseError.self) { try JSONValue.parse(input) }
                    continue
                }
                parsedCount += 1
                #expect(parsed.value == (try JSONValue.parse(input)))
                #expect(parsed.isCanonical == (parsed.value.canonicalBytes == input), "\(String(decoding: input, as: UTF8.self))")
                if parsed.isCanonical, let object = parsed.value.objectValue {
                    for member in object.members {
                        #expect(parsed.range(of: member.key).map { Array(input[$0]) } == member.value.canonicalBytes)
                    }
                }
            }
        }
        #expect(parsedCount > 1_000)
    }
}
