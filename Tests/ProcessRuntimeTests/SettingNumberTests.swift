import ArgumentParser
import Settings
import Testing

/// The one ranged-number parser of the settings, and options declared from a ``Setting``.
@Suite struct SettingNumberTests {
    let setting = Setting("ITP_TEST_NUMBER", flag: "test-number", help: "A number.", default: "4")

    @Test func theFlagWinsThenTheEnvironmentThenTheDefault() throws {
        let source = SettingsSource(environment: ["ITP_TEST_NUMBER": "7"])
        #expect(try setting.number(flag: "9", in: source, range: 1...10) == 9)
        #expect(try setting.number(flag: nil, in: source, range: 1...10) == 7)
        #expect(try setting.number(flag: nil, in: SettingsSource(environment: [:]), range: 1...10) == 4)
        #expect(try setting.number(flag: "0.5", in: source, range: 0.001...1.0) == 0.5)
    }

    @Test func aValueOutsideTheRangeNamesTheSetting() {
        let source = SettingsSource(environment: [:])
        #expect(throws: SettingsError.self) { try setting.number(flag: "11", in: source, range: 1...10) }
        do {
            _ = try setting.number(flag: "x", in: source, range: 1...10)
            Issue.record("accepted 'x'")
        } catch let error as SettingsError {
            #expect(error.setting == "ITP_TEST_NUMBER")
            #expect(error.flag == "test-number")
            #expect(error.reason == "expected a whole number from 1 to 10, got 'x'")
        } catch {
            Issue.record("\(error)")
        }
        do {
            _ = try setting.number(flag: "0", in: source, range: 0.001...100_000)
            Issue.record("accepted 0")
        } catch let error as SettingsError {
            #expect(error.reason == "expected a number from 0.001 to 100000.0, got '0'")
        } catch {
            Issue.record("\(error)")
        }
    }

    struct Options: ParsableArguments {
        static let number = Setting("ITP_TEST_NUMBER", flag: "test-number", help: "A number.", default: "4")
        @Option(setting: Self.number) var number: String?
    }

    @Test func anOptionTakesItsFlagAndHelpFromTheSetting() throws {
        #expect(try Options.parse(["--test-number", "5"]).number == "5")
        #expect(try Options.parse([]).number == nil)
        let help = Options.helpMessage(columns: 200)
        #expect(help.contains("--test-number <test-number>"))
        #expect(help.contains("A number. [env: ITP_TEST_NUMBER; default: 4]"))
    }
}
