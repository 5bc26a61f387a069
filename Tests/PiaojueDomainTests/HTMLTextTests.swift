import PiaojueDomain
import Testing

@Suite struct HTMLTextTests {
    @Test func everySpecialCodePointIsEscapedEvenWithACombiningMarkAfterIt() {
        #expect(HTMLText.escape(#"<a href="x">&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
        // One Character to Swift, two code points to a browser's tokenizer.
        #expect(HTMLText.escape("\"\u{301} onload=x") == "&quot;\u{301} onload=x")
        #expect(HTMLText.escape("<\u{338}script>") == "&lt;\u{338}script&gt;")
        #expect(HTMLText.escape("城东\u{301}社区") == "城东\u{301}社区")
    }
}
