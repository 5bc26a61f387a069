import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue.Implement {
    /// `implement problem`: problems and rectification items (问题/责任/整改清单).
    struct Problem: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "problem",
            abstract: "问题与整改清单 Problems and rectification items: open, assign, close, list.",
            discussion: """
                Example:
                  piaojue implement problem open P3 --text "施工围挡占用人行道" --unit 县住建局
                  piaojue implement problem close Q1 --note "已调整围挡，恢复通行"
                """,
            subcommands: [Open.self, Assign.self, Close.self, List.self])

        @OptionGroup var global: GlobalOptions
    }
}

extension Piaojue.Implement.Problem {
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "登记问题 Open a problem item on a chosen project.",
            discussion: """
                Prints the item's id (Q1 …).

                Example:
                  piaojue implement problem open P3 --text "资金拨付滞后" --unit 县财政局
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "项目编号 The project.") var project: ProjectID
        @Option(help: "问题 The problem.") var text: String
        @Option(help: "整改责任单位 The unit responsible (optional; or assign later).") var unit: String?

        func run() throws {
            let event = try ImplementationService.openProblem(project: try project.get(), text: text, unit: unit, workspace: global.workspace())
            global.emit(ProblemOutput(event)) {
                "问题 \(event.id) 已登记（项目 \(event.project)\(event.unit.map { "，责任单位 \($0)" } ?? "")）。Problem \(event.id) opened."
            }
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign",
            abstract: "明确整改责任 Assign (or reassign) the unit responsible for an item.",
            discussion: "Example:\n  piaojue implement problem assign Q1 --unit 县交通运输局")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "问题编号 The item (Q1 …).") var id: ProblemID
        @Option(help: "整改责任单位 The unit responsible.") var unit: String

        func run() throws {
            let event = try ImplementationService.assignProblem(id: try id.get(), unit: unit, workspace: global.workspace())
            global.emit(ProblemOutput(event)) {
                "问题 \(event.id) 的整改责任单位：\(event.unit ?? "")。Assigned."
            }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "整改销号 Close an item with a note on its rectification.",
            discussion: "Example:\n  piaojue implement problem close Q1 --note \"资金已于6月10日拨付到位\"")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "问题编号 The item (Q1 …).") var id: ProblemID
        @Option(help: "整改情况 How it was rectified.") var note: String

        func run() throws {
            let event = try ImplementationService.closeProblem(id: try id.get(), note: note, workspace: global.workspace())
            global.emit(ProblemOutput(event)) {
                "问题 \(event.id) 已整改销号。Closed."
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "问题清单 List problem items.",
            discussion: "Example:\n  piaojue implement problem list --open\n  piaojue implement problem list --project P3 --json")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "只看未整改的 Only open items.") var open = false
        @Option(help: "只看某个项目 Only this project's items.") var project: ProjectID?

        func run() throws {
            let items = try ImplementationService.problems(openOnly: open, project: try project.value(), workspace: global.workspace())
            global.emit(ProblemListOutput(items)) {
                guard !items.isEmpty else { return "没有问题清单项。No items." }
                return items.map { item in
                    let state = item.closedOn.map { "已整改 \($0)：\(item.closeNote ?? "")" } ?? "待整改 open"
                    return "\(item.id)  \(item.project)  \(item.text)  责任单位 \(item.unit ?? "未指定")  \(state)"
                }.joined(separator: "\n")
            }
        }
    }
}
