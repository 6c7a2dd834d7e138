// The real CDNOW purchase log (whitespace-separated, YYYYMMDD dates): counts and one customer checked by hand.
import Foundation
import Testing
import TestSupport
@testable import EventLog

let cdnowPath = Repository.cdnowLog

@Suite("CDNOW real log", .enabled(if: cdnowPath != nil))
struct CDNOWTests {
    @Test("69,659 rows, 23,570 users, no bad rows; customer 00003 by hand")
    func read() throws {
        var options = ReadOptions()
        options.format = .whitespace
        options.columns = ColumnMapping(user: "customer_id", time: "date", value: "dollar_value")
        options.timeFormat = .yyyymmdd
        let (store, report) = try EventLogReader.read(try #require(cdnowPath), options: options)
        #expect(report.records == 69_659)
        #expect(report.events == 69_659)
        #expect(report.users == 23_570)
        #expect(report.badRowTotal == 0)
        #expect(report.lines == 69_660)
        #expect(!report.hasEventColumn && report.hasValueColumn)
        #expect(store.firstTime == utcMillis(1997, 1, 1))
        #expect(store.lastTime == utcMillis(1998, 6, 30))
        // grep '^ 00003 ' CDNOW_master.txt
        //  00003 19970102  2   20.76
        //  00003 19970330  2   20.76
        //  00003 19970402  2   19.54
        //  00003 19971115  5   57.45
        //  00003 19971125  4   20.96
        //  00003 19980528  1   16.99
        let events = eventsOf(store, user: "00003")
        #expect(events.map(\.time) == [utcMillis(1997, 1, 2), utcMillis(1997, 3, 30), utcMillis(1997, 4, 2),
                                       utcMillis(1997, 11, 15), utcMillis(1997, 11, 25), utcMillis(1998, 5, 28)])
        #expect(events.map(\.value) == [20.76, 20.76, 19.54, 57.45, 20.96, 16.99])
        // Customer 00002 bought twice on 1997-01-12 (two rows, different amounts): both kept, not duplicates.
        #expect(eventsOf(store, user: "00002").map(\.value) == [12.00, 77.00])
    }

    @Test("auto-detection picks yyyymmdd for CDNOW")
    func detect() throws {
        var options = ReadOptions()
        options.format = .whitespace
        options.columns = ColumnMapping(user: "customer_id", time: "date", value: "dollar_value")
        let (_, report) = try EventLogReader.read(try #require(cdnowPath), options: options)
        #expect(report.timeFormat == .yyyymmdd && report.timeFormatDetected)
        #expect(report.events == 69_659)
    }
}
