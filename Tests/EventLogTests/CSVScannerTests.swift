// CSVScanner, the one RFC 4180 field reader: fields, quotes, line ends and the byte order mark.
import Testing
@testable import EventLog

@Suite("CSVScanner")
struct CSVScannerTests {
    /// Every record of `text` as field texts, or "!" for a record with a broken quote, "" for a blank line.
    func records(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) -> [[String]] {
        bytes.withUnsafeBytes { p in
            var scan = CSVScanner(p, delimiter: delimiter, fileStart: true)
            var fields: [CSVField] = []
            var out: [[String]] = []
            while true {
                switch scan.record(into: &fields) {
                case .endOfInput: return out
                case .blankLine: out.append([])
                case .badQuote: out.append(["!"])
                case .record: out.append(fields.map { scan.text($0) })
                }
            }
        }
    }

    func records(_ text: String) -> [[String]] { records(Array(text.utf8)) }

    @Test("quoted delimiters, doubled quotes, line breaks and empty fields")
    func quoting() {
        #expect(records("a,\"b,c\",\"say \"\"hi\"\"\"\n,,\n\"x\ny\",\"\"\n")
                == [["a", "b,c", "say \"hi\""], ["", "", ""], ["x\ny", ""]])
    }

    @Test("LF and CRLF end a record, also after a closing quote; the last line may lack one")
    func lineEnds() {
        let expected = [["a", "b"], ["c", "d"]]
        #expect(records("a,\"b\"\r\nc,\"d\"\r\n") == expected)
        #expect(records("a,\"b\"\r\nc,\"d\"\r") == expected)
        #expect(records("a,b\r\nc,d") == expected)
        #expect(records("a,b\nc,d\n") == expected)
        #expect(records("a,\"b\"\n\r\nc,d") == [["a", "b"], [], ["c", "d"]])
        #expect(records("a,\"b\r\nc\"\r\n") == [["a", "b\r\nc"]])   // a quoted CRLF is data
    }

    @Test("a byte order mark is skipped at the file start only")
    func byteOrderMark() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(records(bom + Array("user_id,t\n".utf8)) == [["user_id", "t"]])
        #expect(records(bom + Array("\"u\",t\n".utf8)) == [["u", "t"]])
        #expect(records(Array("a\n".utf8) + bom + Array("b\n".utf8)) == [["a"], ["\u{FEFF}b"]])
    }

    @Test("a quote closed before other text, or never closed, is a broken record; reading goes on after it")
    func badQuotes() {
        #expect(records("\"a\"b,c\nd,e\n") == [["!"], ["d", "e"]])
        #expect(records("a,\"b\n") == [["!"]])
    }

    @Test("tab-separated fields")
    func tabs() {
        #expect(records(Array("a\t\"b\tc\"\t\n".utf8), delimiter: 9) == [["a", "b\tc", ""]])
    }
}
