use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use super::*;
use crate::store::test_util::temp_dir;
use crate::store::{list_imports, rejected_rows, remove_import};

struct Fixture {
    dir: PathBuf,
    db: Database,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dir = temp_dir(name);
        let db = Database::open(&dir.join("data.sqlite")).unwrap();
        Fixture { dir, db }
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn import(
        &mut self,
        name: &str,
        mapping: &SpendMapping,
        options: &ImportOptions,
    ) -> Result<ImportSummary, StoreError> {
        let path = self.dir.join(name);
        import_spend(
            &mut self.db,
            &path,
            mapping,
            options,
            &mut |_| {},
            &AtomicBool::new(false),
        )
    }

    fn total(&self) -> f64 {
        load_spend(&self.db).unwrap().iter().map(|s| s.cost).sum()
    }

    fn of(&self, channel: &str) -> Vec<(String, f64)> {
        load_spend(&self.db)
            .unwrap()
            .into_iter()
            .filter(|s| s.channel == channel)
            .map(|s| (s.day.to_string(), s.cost))
            .collect()
    }
}

const REPORT: &str = "day,channel,campaign,cost,impressions,clicks
2026-03-01,google,Brand,12.50,1000,40
2026-03-01,google,Generic,7.50,800,20
2026-03-01,linkedin,ABM,\"1,200.00\",\"12,000\",90
2026-03-02,google,Brand,10,900,--
2026-03-02,linkedin,ABM,300,,
not a day,google,Brand,5,1,1
2026-03-03,google,Brand,lots,1,1
,,,,,
2026-03-03,,Brand,4,1,1
";

#[test]
fn imports_a_report_with_its_counts_sums_and_rejected_lines() {
    let mut f = Fixture::new("spend-report");
    f.write("spend.csv", REPORT);
    let s = f
        .import("spend.csv", &SpendMapping::default(), &ImportOptions::default())
        .unwrap();
    assert_eq!((s.imported, s.rejected, s.blank_rows), (5, 3, 1));
    let lines: Vec<u64> = s.rejections.iter().map(|r| r.line).collect();
    assert_eq!(lines, [7, 8, 10]);
    assert!(s.rejections[0].reason.contains("'not a day'"), "{:?}", s.rejections);
    assert!(s.rejections[1].reason.contains("cost 'lots'"), "{:?}", s.rejections);
    assert!(s.rejections[2].reason.contains("channel"), "{:?}", s.rejections);
    let stored = rejected_rows(&f.db, s.import_id.unwrap(), 10).unwrap();
    assert_eq!(stored[1].raw, "2026-03-03,google,Brand,lots,1,1");

    // Summed per day and channel; the campaigns of a day add up.
    assert_eq!(
        f.of("google"),
        [("2026-03-01".into(), 20.0), ("2026-03-02".into(), 10.0)]
    );
    assert_eq!(
        f.of("linkedin"),
        [("2026-03-01".into(), 1200.0), ("2026-03-02".into(), 300.0)]
    );
    assert_eq!(f.total(), 1530.0);
    let (impressions, clicks): (i64, Option<i64>) =
        f.db.conn
            .query_row("SELECT sum(impressions), sum(clicks) FROM spend", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
    assert_eq!((impressions, clicks), (14_700, Some(150)));

    let info = &list_imports(&f.db).unwrap()[0];
    assert_eq!((info.kind.as_str(), info.rows_imported), ("spend", 5));
    assert_eq!(info.column_mapping["cost"], "cost");
    // Spend is not events.
    assert_eq!(crate::store::event_count(&f.db).unwrap(), 0);
}

#[test]
fn same_rules_as_events_for_importing_again() {
    let mut f = Fixture::new("spend-again");
    let head = "Day,Cost\n2026-03-01,10\n2026-03-02,20\n";
    f.write("ads.csv", head);
    let one_channel = SpendMapping {
        fixed_channel: Some("google".into()),
        ..SpendMapping::default()
    };
    let opts = ImportOptions::default();
    f.import("ads.csv", &one_channel, &opts).unwrap();
    let msg = f.import("ads.csv", &one_channel, &opts).unwrap_err().to_string();
    assert!(msg.contains("already imported") && msg.contains("--replace"), "{msg}");
    assert_eq!(f.total(), 30.0);

    // Rows added at the end: only those come in.
    f.write("ads.csv", &format!("{head}2026-03-03,5\n"));
    let s = f.import("ads.csv", &one_channel, &opts).unwrap();
    assert_eq!((s.imported, s.rows_before), (1, 2));
    assert_eq!(f.total(), 35.0);

    // Changed figures: refused, then replaced.
    f.write("ads.csv", "Day,Cost\n2026-03-01,11\n");
    let msg = f.import("ads.csv", &one_channel, &opts).unwrap_err().to_string();
    assert!(msg.contains("has changed since"), "{msg}");
    let replace = ImportOptions {
        replace: true,
        ..ImportOptions::default()
    };
    let s = f.import("ads.csv", &one_channel, &replace).unwrap();
    assert_eq!(s.replaced_imports.len(), 2);
    assert_eq!(f.of("google"), [("2026-03-01".into(), 11.0)]);
    assert_eq!(spend_row_count(&f.db).unwrap(), 1);

    // Removing the import takes its spend along.
    remove_import(&mut f.db, s.import_id.unwrap()).unwrap();
    assert_eq!(spend_row_count(&f.db).unwrap(), 0);
}

#[test]
fn an_overlapping_later_report_replaces_the_days_it_repeats() {
    let mut f = Fixture::new("spend-overlap");
    f.write("may.csv", "day,channel,cost\n2026-05-01,meta,10\n2026-05-02,meta,10\n");
    f.write(
        "may-june.csv",
        "day,channel,cost\n2026-05-02,meta,12\n2026-06-01,meta,30\n",
    );
    let opts = ImportOptions::default();
    f.import("may.csv", &SpendMapping::default(), &opts).unwrap();
    f.import("may-june.csv", &SpendMapping::default(), &opts).unwrap();
    assert_eq!(
        f.of("meta"),
        [
            ("2026-05-01".into(), 10.0),
            ("2026-05-02".into(), 12.0),
            ("2026-06-01".into(), 30.0)
        ]
    );
}

#[test]
fn a_missing_column_or_channel_is_named() {
    let mut f = Fixture::new("spend-missing");
    f.write("a.csv", "Day,Cost\n2026-03-01,10\n");
    let msg = f
        .import("a.csv", &SpendMapping::default(), &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("a.csv") && msg.contains("--channel NAME") && msg.contains("'Day', 'Cost'"),
        "{msg}"
    );
    let m = SpendMapping {
        fixed_channel: Some("google".into()),
        ..SpendMapping::parse("day=Day,cost=Spend").unwrap()
    };
    let msg = f
        .import("a.csv", &m, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("no column 'Spend' for the cost"), "{msg}");
    assert!(SpendMapping::parse("day=,cost=x").is_err());
    assert!(
        SpendMapping::parse("person=x")
            .unwrap_err()
            .to_string()
            .contains("day, channel, cost")
    );
    assert!(list_imports(&f.db).unwrap().is_empty());
}

#[test]
fn reads_platform_numbers() {
    let number = |v: &str, comma: bool| money(v, comma).map(|a| a.map(|a| a.value));
    assert_eq!(number("1,234.50", false), Some(Some(1234.5)));
    assert_eq!(number("12,000", false), Some(Some(12000.0)));
    assert_eq!(number("$7.25", false), Some(Some(7.25)));
    assert_eq!(number("--", false), Some(None));
    assert_eq!(
        number("12,50", false),
        None,
        "a decimal comma is not a thousands separator"
    );
    assert_eq!(number("1,23,456", false), None);
    // With the file's decimal mark a comma.
    assert_eq!(number("12,50", true), Some(Some(12.5)));
    assert_eq!(number("1 234,50", true), Some(Some(1234.5)));
    assert_eq!(number("€1.234,50", true), Some(Some(1234.5)));
    assert_eq!(number("12,50 zł", true), Some(Some(12.5)));
}

/// A Google Ads download as the UI writes it: the report's name and date
/// range above the header (Google Ads Help, "Download your reports").
const GOOGLE_ADS_DOWNLOAD: &str = "Campaign report
\"May 1, 2024 - May 3, 2024\"
Day,Campaign,Cost,Impressions,Clicks
2024-05-01,Brand,\"$1,234.50\",\"10,000\",120
2024-05-02,Brand,$7.25,900,10
2024-05-03,Brand,soon,1,1
Total: Account,,\"$1,241.75\",\"10,901\",131
Total: Search,,\"$1,241.75\",\"10,901\",131
";

#[test]
fn title_lines_before_the_header_are_skipped_and_rows_keep_their_lines() {
    let mut f = Fixture::new("spend-title");
    f.write("ads.csv", GOOGLE_ADS_DOWNLOAD);
    let mapping = SpendMapping {
        fixed_channel: Some("google".into()),
        ..SpendMapping::parse("day=Day,cost=Cost,campaign=Campaign,impressions=Impressions,clicks=Clicks").unwrap()
    };
    let s = f.import("ads.csv", &mapping, &ImportOptions::default()).unwrap();
    assert_eq!((s.imported, s.rejected, s.skipped_lines), (2, 1, 2));
    assert_eq!(s.rejections[0].line, 6);
    // The closing total rows are not spend of a day: left out, not counted twice, not rejected.
    assert_eq!(s.blank_rows, 2);
    assert_eq!(s.currency.as_deref(), Some("USD"));
    assert!((f.total() - 1241.75).abs() < 1e-9);
    assert_eq!(rejected_rows(&f.db, s.import_id.unwrap(), 10).unwrap()[0].line, 6);
}

#[test]
fn skip_lines_can_be_forced() {
    let mut f = Fixture::new("spend-skip");
    // A title of two cells looks enough like a header to be taken for one.
    f.write(
        "spend.csv",
        "Spend,Export\nday,channel,cost\n2024-05-01,google,1\n2024-05-02,google,2\n",
    );
    let mut options = ImportOptions::default();
    options.dialect.skip_lines = Some(1);
    let s = f.import("spend.csv", &SpendMapping::default(), &options).unwrap();
    assert_eq!((s.imported, s.skipped_lines), (2, 1));
    assert_eq!(f.total(), 3.0);
}

#[test]
fn costs_in_two_currencies_are_refused_naming_the_line() {
    let mut f = Fixture::new("spend-currencies");
    f.write(
        "spend.csv",
        "day;channel;cost\n2024-05-01;google;12,50 zł\n2024-05-02;google;1 234,50 PLN\n2024-05-03;meta;€3,20\n",
    );
    let err = f
        .import("spend.csv", &SpendMapping::default(), &ImportOptions::default())
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(
            err,
            StoreError::MixedCurrencies {
                line: 4,
                first_line: 2,
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("spend.csv line 4: an amount in EUR") && msg.contains("in PLN (from line 2)"),
        "{msg}"
    );
    assert!(list_imports(&f.db).unwrap().is_empty());
    assert_eq!(f.total(), 0.0);
    // One currency: read, in the file's decimal commas.
    f.write(
        "spend.csv",
        "day;channel;cost\n2024-05-01;google;12,50 zł\n2024-05-02;google;1 234,50 PLN\n2024-05-03;meta;3,20\n",
    );
    let s = f
        .import("spend.csv", &SpendMapping::default(), &ImportOptions::default())
        .unwrap();
    assert_eq!((s.imported, s.currency.as_deref()), (3, Some("PLN")));
    assert!((f.total() - 1250.2).abs() < 1e-9);
}

#[test]
fn a_reports_columns_are_guessed_from_their_names() {
    let header: Vec<String> = ["Data", "Kanał", "Koszt", "Kampania", "Wyświetlenia", "Kliknięcia"]
        .map(String::from)
        .to_vec();
    let m = guess_spend_mapping(&header);
    let guessed: Vec<String> = SpendRole::ALL.iter().map(|&r| m.get(r).unwrap().to_owned()).collect();
    assert_eq!(guessed[..6], header[..]);
    assert_eq!(m.get(SpendRole::Currency), Some(""), "no currency column");
    let meta: Vec<String> = ["Reporting starts", "Campaign name", "Amount spent (EUR)", "Link clicks"]
        .map(String::from)
        .to_vec();
    let m = guess_spend_mapping(&meta);
    assert_eq!(m.get(SpendRole::Day), Some("Reporting starts"));
    assert_eq!(m.get(SpendRole::Cost), Some("Amount spent (EUR)"));
    assert_eq!(m.get(SpendRole::Clicks), Some("Link clicks"));
    assert_eq!(
        (m.get(SpendRole::Channel), m.get(SpendRole::Impressions)),
        (Some(""), Some(""))
    );
}

#[test]
fn a_reports_currency_comes_from_its_currency_column_or_its_cost_columns_name() {
    let mut f = Fixture::new("spend-currency-column");
    // A Google Ads download: plain costs, the currency in a column.
    f.write(
        "ads.csv",
        "Day,Campaign,Currency code,Cost\n2024-05-01,Brand,PLN,\"1,234.50\"\n2024-05-02,Brand,pln,10\n",
    );
    let google = crate::store::preset("google-ads")
        .unwrap()
        .spend_mapping(&["Day", "Campaign", "Currency code", "Cost"].map(String::from), &f.dir)
        .unwrap();
    let s = f.import("ads.csv", &google, &ImportOptions::default()).unwrap();
    assert_eq!((s.imported, s.currency.as_deref()), (2, Some("PLN")));
    assert_eq!(list_imports(&f.db).unwrap()[0].currency.as_deref(), Some("PLN"));

    // A Meta export names the currency in the cost column's header.
    f.write("meta.csv", "Reporting starts,Amount spent (PLN)\n2024-05-03,99.90\n");
    let meta = SpendMapping {
        day: Some("Reporting starts".into()),
        cost: Some("Amount spent (PLN)".into()),
        fixed_channel: Some("facebook".into()),
        ..SpendMapping::default()
    };
    let s = f.import("meta.csv", &meta, &ImportOptions::default()).unwrap();
    assert_eq!(s.currency.as_deref(), Some("PLN"));
    assert!((f.total() - 1344.4).abs() < 1e-9);
}

#[test]
fn a_row_whose_currencies_disagree_is_rejected_saying_which() {
    let mut f = Fixture::new("spend-currency-disagree");
    f.write(
        "spend.csv",
        "day;channel;currency;cost\n2024-05-01;google;PLN;12,50 zł\n2024-05-02;google;USD;1,00 zł\n\
         2024-05-03;google;złote;3\n2024-05-04;google;;4\n",
    );
    let s = f
        .import("spend.csv", &SpendMapping::default(), &ImportOptions::default())
        .unwrap();
    assert_eq!((s.imported, s.rejected, s.currency.as_deref()), (2, 2, Some("PLN")));
    let reasons: Vec<(u64, &str)> = s.rejections.iter().map(|r| (r.line, r.reason.as_str())).collect();
    assert_eq!(
        reasons,
        [
            (3, "cost '1,00 zł' says PLN but column 'currency' says USD"),
            (
                4,
                "currency 'złote' (column 'currency') is not a currency code such as USD or PLN"
            )
        ]
    );
}

#[test]
fn money_in_another_currency_than_the_databases_is_refused() {
    let mut f = Fixture::new("spend-currency-database");
    // Events whose revenue is in złoty come first.
    let events = f.write(
        "shop.csv",
        "person_id;timestamp;event;revenue\nanna;2024-05-01T10:00:00Z;purchase;120,00 zł\n",
    );
    let s = crate::store::import_csv(
        &mut f.db,
        &events,
        &ImportOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(s.currency.as_deref(), Some("PLN"));

    // A report in dollars would be added up with them: refused, nothing kept.
    f.write(
        "ads.csv",
        "day,channel,cost\n2024-05-01,google,5\n2024-05-02,google,$7.50\n",
    );
    let err = f
        .import("ads.csv", &SpendMapping::default(), &ImportOptions::default())
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::CurrencyDiffers { line: 3, .. }), "{msg}");
    assert!(
        msg.contains("ads.csv line 3: an amount in USD")
            && msg.contains("already in the database is in PLN (import 1, shop.csv)")
            && msg.contains("nothing was imported"),
        "{msg}"
    );
    assert_eq!(list_imports(&f.db).unwrap().len(), 1);
    assert_eq!(f.total(), 0.0);

    // Plain numbers say no currency, and złoty agree: both are imported.
    f.write(
        "ads.csv",
        "day,channel,cost\n2024-05-01,google,5\n2024-05-02,google,7.50 PLN\n",
    );
    let s = f
        .import("ads.csv", &SpendMapping::default(), &ImportOptions::default())
        .unwrap();
    assert_eq!((s.imported, s.currency.as_deref()), (2, Some("PLN")));
    assert_eq!(f.total(), 12.5);
}
