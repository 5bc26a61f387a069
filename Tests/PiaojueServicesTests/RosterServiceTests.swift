import Foundation
import PiaojueDomain
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `RosterService`: the seated roster (实有代表) read from a CSV, recorded whole or not at all.
@Suite struct RosterServiceTests {
    @Test func importRecordsEveryDeputyAndTheRosterHash() throws {
        let world = try ServiceWorld()
        let path = try world.write("deputies.csv", "id,name,delegation,status\nD001,张三,第一代表团,seated\nD002,李四,,在任\nD003,王五,第二代表团,suspended\n")
        let imported = try RosterService.importRoster(path: path, encoding: .utf8, workspace: world.workspace)
        let deputies = [
            Deputy(id: "D001", name: "张三", delegation: "第一代表团", status: .seated),
            Deputy(id: "D002", name: "李四", delegation: nil, status: .seated),
            Deputy(id: "D003", name: "王五", delegation: "第二代表团", status: .suspended),
        ]
        #expect(imported == RosterImported(deputies: deputies, seated: 3, rosterHash: try canonicalHash(deputies), file: "deputies.csv"))
        let output = RosterImportOutput(imported)
        #expect((output.seated, output.imported, output.suspended) == (3, 3, 1))
        #expect(output.rosterHash.count == 64)
        #expect(try world.kinds(after: 1) == ["roster.import"])
        #expect(try RosterService.current(workspace: world.workspace) == imported)
    }

    @Test func chineseHeadersAndStatusWordsAreAccepted() throws {
        let world = try ServiceWorld()
        let path = try world.write("名册.csv", "编号,姓名,代表团,状态\nD001,张三,城关,在任\nD002,李四,城关,暂停代表职务\nD003,王五,,\n")
        let imported = try RosterService.importRoster(path: path, encoding: .utf8, workspace: world.workspace)
        #expect(imported.deputies.map(\.status) == [.seated, .suspended, .seated])
        #expect(imported.deputies.map(\.delegation) == ["城关", "城关", nil])
        #expect(imported.seated == 3)
        #expect(imported.file == "名册.csv")
    }

    @Test func aLaterRosterReplacesTheEarlierOne() throws {
        let world = try ServiceWorld()
        try world.roster(5)
        let second = try world.roster(7, suspended: 2, file: "deputies-2.csv")
        let current = try RosterService.current(workspace: world.workspace)
        #expect(current == second)
        #expect(current.seated == 7)
        #expect(RosterListOutput(current).deputies.filter { $0.status == .suspended }.map(\.id) == ["D006", "D007"])
    }

    @Test func readingTheFileRecordsNothing() throws {
        let world = try ServiceWorld()
        let path = try world.write("deputies.csv", "id,name\nD001,张三\nD002,李四\n")
        let read = try RosterService.readRosterFile(path: path, encoding: .utf8)
        #expect(read.deputies.map(\.id) == ["D001", "D002"])
        #expect(read.lines == [2, 3])
        #expect(try world.entryCount() == 1)
    }

    @Test func withoutARosterCurrentIsRefused() throws {
        let world = try ServiceWorld()
        let refusal = try world.refusal { try RosterService.current(workspace: world.workspace) }
        #expect(refusal.code == "roster.no-roster")
        #expect(refusal.exitStatus == 1)
        #expect(refusal.details == ErrorDetails())
    }

    /// A roster file that is refused: its text, the code and the details (every refusal names the file).
    struct BadRoster: Sendable, CustomStringConvertible {
        let text: String
        let code: String
        let details: ErrorDetails
        var description: String { code }
    }

    static let badRosters: [BadRoster] = [
        BadRoster(text: "id,name\n", code: "roster.empty", details: ["file": .text("roster.csv")]),
        BadRoster(
            text: "id,name,age\nD001,张三,40\n", code: "roster.unknown-column",
            details: ["file": .text("roster.csv"), "column": .text("age")]),
        BadRoster(
            text: "id,name,编号\nD001,张三,D001\n", code: "roster.duplicate-column",
            details: ["file": .text("roster.csv"), "column": .text("编号")]),
        BadRoster(text: "id,delegation\nD001,城关\n", code: "roster.missing-columns", details: ["file": .text("roster.csv")]),
        BadRoster(
            text: "id,name,status\nD001,张三,seated\nD002,李四,retired\n", code: "roster.unknown-status",
            details: ["file": .text("roster.csv"), "line": .number(3), "status": .text("retired")]),
        BadRoster(
            text: "id,name\nD001,张三\n,李四\n", code: "roster.missing-id", details: ["file": .text("roster.csv"), "line": .number(3)]),
        BadRoster(
            text: "id,name\nD 1,张三\n", code: "roster.bad-id",
            details: ["file": .text("roster.csv"), "line": .number(2), "id": .text("D 1")]),
        BadRoster(
            text: "id,name\n\"D1;D2\",张三\n", code: "roster.bad-id",
            details: ["file": .text("roster.csv"), "line": .number(2), "id": .text("D1;D2")]),
        BadRoster(
            text: "id,name\nD001,\n", code: "roster.missing-name", details: ["file": .text("roster.csv"), "line": .number(2)]),
        BadRoster(
            text: "id,name\nD001,张三\nD002,李四\nD001,王五\n", code: "roster.duplicate-id",
            details: ["file": .text("roster.csv"), "line": .number(4), "id": .text("D001"), "firstLine": .number(2)]),
        BadRoster(text: "", code: "file.empty", details: ["file": .text("roster.csv")]),
        BadRoster(
            text: "id,name\nD001,张三,多余\n", code: "file.field-count",
            details: ["file": .text("roster.csv"), "line": .number(2), "fields": .number(3), "header": .number(2)]),
    ]

    @Test(arguments: badRosters)
    func aBadRosterIsRefusedWhole(_ bad: BadRoster) throws {
        let world = try ServiceWorld()
        try world.roster(3)
        let path = try world.write("roster.csv", bad.text)
        let refusal = try world.refusal { try RosterService.importRoster(path: path, encoding: .utf8, workspace: world.workspace) }
        #expect(refusal.code == bad.code, "\(refusal)")
        #expect(refusal.details == bad.details, "\(refusal.details)")
        #expect(refusal.exitStatus == 2)
        #expect(refusal.wroteNothing)
        #expect(try RosterService.current(workspace: world.workspace).seated == 3)
    }

    @Test func aMissingFileIsNamed() throws {
        let world = try ServiceWorld()
        let path = world.path("no-such.csv")
        let refusal = try world.refusal { try RosterService.importRoster(path: path, encoding: .utf8, workspace: world.workspace) }
        #expect(refusal.code == "file.missing")
        #expect(refusal.details == ["path": .text(path)])
        #expect(refusal.wroteNothing)
    }

    @Test func bytesThatAreNotUTF8NameTheLine() throws {
        let world = try ServiceWorld()
        let path = try world.write("roster.csv", bytes: Array("id,name\nD001,张三\nD002,".utf8) + [0xC0, 0x0A])
        let refusal = try world.refusal { try RosterService.importRoster(path: path, encoding: .utf8, workspace: world.workspace) }
        #expect(refusal.code == "file.not-utf8")
        #expect(refusal.details == ["file": .text("roster.csv"), "line": .number(3)])
        #expect(refusal.wroteNothing)
    }

    @Test func utf8DeclaredAsGB18030IsRefused() throws {
        let world = try ServiceWorld()
        let path = try world.write("roster.csv", "id,name\nD001,张三\n")
        let refusal = try world.refusal { try RosterService.importRoster(path: path, encoding: .gb18030, workspace: world.workspace) }
        #expect(refusal.code == "file.declared-gb18030-but-utf8")
        #expect(refusal.details == ["file": .text("roster.csv")])
        #expect(refusal.wroteNothing)
    }

    @Test func gb18030IsDecoded() throws {
        let world = try ServiceWorld()
        // "id,name\nD001,张三\n" in GB18030: 张 = D5 C5, 三 = C8 FD.
        let path = try world.write("roster.csv", bytes: Array("id,name\nD001,".utf8) + [0xD5, 0xC5, 0xC8, 0xFD, 0x0A])
        let imported = try RosterService.importRoster(path: path, encoding: .gb18030, workspace: world.workspace)
        #expect(imported.deputies == [Deputy(id: "D001", name: "张三")])
    }
}
