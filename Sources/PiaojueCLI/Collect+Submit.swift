import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue.Collect {
    /// `collect submit`: one proposal.
    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "submit",
            abstract: "登记一条建议项目 Record one proposal.",
            discussion: """
                Required fields and the category list come from the rules file. A proposal with the \
                same title and location as an earlier one is recorded and pointed out as a possible \
                duplicate (merge it with `collect screen ID --merge-into ID2`).

                Example:
                  piaojue collect submit --title 城东社区养老服务中心 --category 社会保障 \\
                    --content "新建日间照料中心 800 平方米" --location 城东街道 --budget 120万 \\
                    --unit 县民政局 --proposer 王芳 --channel 代表联络站 --deadline 2025-12-31
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Option(help: "项目名称 Title.") var title: String
        @Option(help: "类别 Category (from the rules file).") var category: String
        @Option(help: "建设内容 What will be built or done.") var content: String
        @Option(help: "实施地点 Location.") var location: String?
        @Option(parsing: .unconditional, help: "投资估算 Budget estimate: 1200000, 1,200,000元, 120万, 6513.3万元.") var budget: Amount?
        @Option(help: "资金来源 Funding source.") var funding: String?
        @Option(help: "责任单位 Responsible unit.") var unit: String?
        @Option(help: "建议人 Proposer's name.") var proposer: String?
        @Option(help: "建议人单位 Proposer's unit.") var proposerUnit: String?
        @Option(help: "联系方式 Proposer's contact.") var contact: String?
        @Option(help: "征集渠道 Channel: 代表联络站, 12345热线, 网上征集, 信函, 代表建议, 部门申报 …") var channel: String?
        @Option(help: "完成时限 Deadline: 2025-12-31, 2025-12 or 2025年12月底.") var deadline: Deadline?

        func run() throws {
            let workspace = try global.workspace()
            let rules = try workspace.rules(rulesOption.rules)
            let proposal = Proposal(
                title: title.trimmingSpaces(), category: category.trimmingSpaces(), content: content.trimmingSpaces(),
                location: location?.trimmingSpaces(), budget: try budget.value(), funding: funding,
                deadline: try deadline.value(), unit: unit,
                proposer: proposer.map { Proposer(name: $0, unit: proposerUnit, contact: contact, channel: channel) },
                channel: channel)
            let event = try CollectionService.submit(proposal, rules: rules, workspace: workspace)
            global.emit(SubmitOutput(event)) {
                var text = "已登记建议项目 \(event.id)：\(proposal.title)。Proposal \(event.id) recorded."
                if let duplicate = event.possibleDuplicateOf {
                    text += "\n注意：与 \(duplicate) 的项目名称和实施地点相同，可能重复；如属同一事项，请用 `piaojue collect screen \(event.id) --merge-into \(duplicate)` 合并。Possible duplicate of \(duplicate)."
                }
                return text
            }
        }
    }

    /// `collect import`: a spreadsheet of proposals.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "导入建议项目表 Import a proposals CSV or .xlsx (all rows or none).",
            discussion: """
                Columns in Chinese or English: 项目名称 title, 类别 category, 建设内容 content, 实施地点 \
                location, 投资估算 budget, 资金来源 funding, 责任单位 unit, 建议人 proposer, 征集渠道 \
                channel, 完成时限 deadline. Any bad row stops the import with its line and field; nothing \
                is recorded. Excel exports from Chinese Windows need --encoding gb18030. An .xlsx workbook \
                (told by its bytes) is read from its first sheet or --sheet: title rows above the header, \
                a 序号 column and a 合计 row are skipped, 投资估算（万元） sets the unit; errors name the \
                sheet, row and column letter.

                Example:
                  piaojue collect import 建议项目汇总.csv --encoding gb18030
                  piaojue collect import 征集汇总表.xlsx --sheet 汇总表
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Argument(help: "CSV 或 .xlsx 文件 The CSV or .xlsx file.") var file: String
        @Option(help: "文件编码 utf-8 (default, BOM optional) | gb18030.") var encoding = Encoding(argument: "utf-8").orUTF8
        @Option(help: "工作簿中的工作表（.xlsx；默认第一张）The sheet of an .xlsx workbook (default: the first).") var sheet: String?

        func run() throws {
            let workspace = try global.workspace()
            let rules = try workspace.rules(rulesOption.rules)
            let result = try CollectionService.importFile(path: file, encoding: try encoding.get(), sheet: sheet, rules: rules, workspace: workspace)
            let output = CollectImportOutput(imported: result.imported, summary: result.summary)
            global.emit(output) {
                var text = "已导入 \(output.imported) 条建议项目（\(output.ids.first ?? "")…\(output.ids.last ?? "")）。Imported \(output.imported) proposals."
                for (id, other) in output.possibleDuplicates.sorted(by: { $0.key < $1.key }) {
                    text += "\n注意：\(id) 可能与 \(other) 重复 / possible duplicate."
                }
                return text
            }
        }
    }

    /// `collect list`: proposals by status.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "查看建议项目 List proposals.",
            discussion: """
                Status: submitted, accepted, rejected, merged, shortlisted, reserve (储备库), chosen, \
                not-chosen (Chinese words accepted). --csv writes a spreadsheet for Excel; --xlsx FILE \
                also writes the same table as an .xlsx workbook (amounts as numbers) to a new file.

                Example:
                  piaojue collect list --status 储备库
                  piaojue collect list --csv > 建议项目.csv
                  piaojue collect list --xlsx 建议项目.xlsx
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "只看某状态 Only this status.") var status: StatusValue?
        @Flag(help: "输出 CSV（可用 Excel 打开）Write CSV for Excel.") var csv = false
        @Option(help: "另写一份 .xlsx 工作簿（新文件）Also write an .xlsx workbook to this new file.") var xlsx: String?

        func run() throws {
            if csv && global.json { throw UsageFailure.exclusive(options: ["--csv", "--json"]) }
            let output = ProposalListOutput(try CollectionService.list(status: try status.value(), workspace: global.workspace()))
            if let xlsx { try SpreadsheetExport.writeProposals(output, to: xlsx) }
            let rows = output.proposals
            if csv {
                Output.line(CSV.document(header: output.table.header, rows: output.table.rows))
                return
            }
            global.emit(output) {
                guard !rows.isEmpty else { return "没有符合条件的建议项目。No proposals." }
                return rows.map { row in
                    let money = row.budget.map { "  \(Money.display($0))" } ?? ""
                    let extra = row.reason.map { "  理由：\($0)" } ?? row.mergedInto.map { "  并入 \($0)" } ?? ""
                    return "\(row.id)\t[\(row.statusText)]\t\(row.title)（\(row.category)）\(money)\(extra)"
                }.joined(separator: "\n") + "\n共 \(rows.count) 项 / \(rows.count) proposals"
            }
        }
    }

    /// `collect reserve`: the reserve pool.
    struct Reserve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reserve",
            abstract: "储备库 The reserve pool: accepted but not listed, and candidates who lost.",
            discussion: "Put them on a later list with `collect shortlist`.\n\nExample:\n  piaojue collect reserve --json")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let output = ProposalListOutput(try CollectionService.list(status: .reserve, workspace: global.workspace()))
            let rows = output.proposals
            global.emit(output) {
                guard !rows.isEmpty else { return "储备库为空。The reserve pool is empty." }
                return rows.map { "\($0.id)\t\($0.title)（\($0.category)）\t\($0.statusText)" }
                    .joined(separator: "\n")
            }
        }
    }
}
