//! Fixing the map from what the data says: each fix beside a finding of the
//! Data view (and on the canvas's data badges) changes the map in one step,
//! the finding goes away, and one undo brings the map back exactly. The
//! overlay never blames a touchpoint the data cannot see.

mod common;

use std::path::PathBuf;

use common::{Picker, scratch};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use journeymap::analysis::{self, Comparison, EventLog};
use journeymap::layout::text::format_number;
use journeymap::model::{JourneyMap, MetricSource, format};
use journeymap::ui::{Config, Document, JourneyApp};

/// The SaaS sample map in a scratch folder, its sample events imported into
/// the database beside it; the events, loaded.
fn sample(name: &str) -> (PathBuf, EventLog) {
    let dir = scratch(name);
    let map_path = dir.join("saas.ron");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/b2b_saas_inbound.ron"),
        &map_path,
    )
    .unwrap();
    let mut db = journeymap::store::Database::open(&dir.join("saas.sqlite")).unwrap();
    let csv = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_maps/b2b_saas_inbound_events.csv"
    ));
    journeymap::store::import_csv(
        &mut db,
        csv,
        &journeymap::store::ImportOptions::default(),
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap();
    let log = journeymap::store::load_events(&db).unwrap();
    (map_path, log)
}

/// The app on `map_path`, in a window of `size`: tall enough for the whole
/// Data view, or wide enough for the whole map drawn in full.
fn open(map_path: &std::path::Path, size: [f32; 2]) -> Harness<'static, JourneyApp> {
    let config = Config {
        picker: Box::new(Picker::default()),
        state_dir: map_path.with_extension("state"),
        autosave_seconds: 3600.0,
    };
    let doc = Document::open(map_path).unwrap();
    let mut harness = Harness::builder()
        .with_size(size)
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |cc| JourneyApp::with_config(&cc.egui_ctx, Ok(doc), config));
    harness.run();
    harness
}

fn map(h: &Harness<'static, JourneyApp>) -> JourneyMap {
    h.state().document().unwrap().map().clone()
}

/// Shows the Data view and waits for the comparison of the map as it is.
fn data_view(h: &mut Harness<'static, JourneyApp>) {
    h.get_by_label("Data").click();
    settle(h);
}

/// Steps until the analysis has caught up with the map.
fn settle(h: &mut Harness<'static, JourneyApp>) {
    // An edit is applied after the frame that made it: the next one starts
    // its analysis on a worker.
    h.step();
    for _ in 0..2000 {
        h.step();
        if h.query_by_label("Links nobody follows").is_some() && !h.state().data().busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    quiet(h);
}

/// Steps until no analysis is under way and the window has settled.
fn quiet(h: &mut Harness<'static, JourneyApp>) {
    h.step();
    for _ in 0..2000 {
        h.step();
        if !h.state().data().busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // The new results may fade in over a few more frames.
    for _ in 0..10 {
        if h.try_run().is_ok() {
            break;
        }
    }
}

fn compare(map: &JourneyMap, log: &EventLog) -> Comparison {
    analysis::compare(map, log, 0.05)
}

fn undo(h: &mut Harness<'static, JourneyApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    quiet(h);
}

#[test]
fn add_link_for_a_path_people_take() {
    let (path, log) = sample("fix-add-link");
    let mut h = open(&path, [1600.0, 7000.0]);
    data_view(&mut h);
    let before = map(&h);
    let missing = compare(&before, &log).missing_links[0].clone();
    h.query_all_by_label("Add link").next().unwrap().click();
    settle(&mut h);
    let after = map(&h);
    assert_eq!(after.links.len(), before.links.len() + 1);
    let added = after.links.last().unwrap();
    assert_eq!(
        (added.from, added.to, added.expected),
        (missing.from, missing.to, false)
    );
    // The finding is gone, in the comparison the view shows.
    assert!(
        !compare(&after, &log)
            .missing_links
            .iter()
            .any(|t| (t.from, t.to) == (missing.from, missing.to))
    );
    undo(&mut h);
    assert_eq!(map(&h), before, "one undo takes the link away again");
}

#[test]
fn an_unmatched_event_becomes_a_matcher_of_a_chosen_touchpoint() {
    let (path, log) = sample("fix-matcher");
    let mut h = open(&path, [1600.0, 7000.0]);
    data_view(&mut h);
    let before = map(&h);
    let event = compare(&before, &log).unmatched_events[0].event.clone();
    h.query_all_by_label("Add as matcher to…").next().unwrap().click();
    h.run();
    // The picker searches the map's touchpoints.
    let search = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Search touchpoints");
    search.click();
    search.type_text("pricing");
    h.run();
    assert!(
        h.query_by_role_and_label(egui::accesskit::Role::Button, "Book a demo")
            .is_none()
    );
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Pricing page")
        .click();
    settle(&mut h);
    let after = map(&h);
    let pricing = after.touchpoints.iter().find(|t| t.name == "Pricing page").unwrap();
    assert!(pricing.matchers.iter().any(|m| m.event == event && m.channel.is_none()));
    assert!(!compare(&after, &log).unmatched_events.iter().any(|e| e.event == event));
    assert!(h.query_by_label(&event).is_none(), "{event} is no longer listed");
    undo(&mut h);
    assert_eq!(map(&h), before);
}

#[test]
fn an_unmatched_event_becomes_a_touchpoint_where_its_people_are() {
    let (path, log) = sample("fix-new-touchpoint");
    let mut h = open(&path, [1600.0, 7000.0]);
    data_view(&mut h);
    let before = map(&h);
    let event = compare(&before, &log).unmatched_events[0].event.clone();
    let stage = analysis::stage_for_event(&before, &log, &event).unwrap();
    h.query_all_by_label("New touchpoint").next().unwrap().click();
    settle(&mut h);
    let after = map(&h);
    assert_eq!(after.touchpoints.len(), before.touchpoints.len() + 1);
    let new = after
        .touchpoints
        .iter()
        .find(|t| before.touchpoint(t.id).is_none())
        .unwrap();
    assert_eq!(new.stage, stage);
    assert_eq!(new.matchers.len(), 1);
    assert_eq!(new.matchers[0].event, event);
    assert!(!compare(&after, &log).unmatched_events.iter().any(|e| e.event == event));
    undo(&mut h);
    assert_eq!(map(&h), before);
}

#[test]
fn a_link_nobody_follows_is_removed_or_kept_as_expected() {
    let (path, log) = sample("fix-unused");
    let mut h = open(&path, [1600.0, 7000.0]);
    data_view(&mut h);
    let before = map(&h);
    let unused = compare(&before, &log).unused_links.clone();
    assert!(unused.len() >= 2);

    h.query_all_by_label("Remove link").next().unwrap().click();
    settle(&mut h);
    assert!(!map(&h).links.iter().any(|l| l.id == unused[0]));
    undo(&mut h);
    assert_eq!(map(&h), before);
    settle(&mut h);

    h.query_all_by_label("Keep (expected)").next().unwrap().click();
    settle(&mut h);
    let kept = map(&h);
    assert!(kept.links.iter().find(|l| l.id == unused[0]).unwrap().expected);
    assert_eq!(kept.links.len(), before.links.len());
    let c = compare(&kept, &log);
    assert!(!c.unused_links.contains(&unused[0]));
    assert_eq!(c.expected_unused_links, [unused[0]]);
    assert_eq!(h.query_all_by_label("Keep (expected)").count(), unused.len() - 1);
    h.get_by_label("1 link kept as expected was not followed.");
    undo(&mut h);
    assert_eq!(map(&h), before);
}

#[test]
fn a_typed_metric_is_bound_to_the_measure_named_on_the_button() {
    let (path, log) = sample("fix-bind");
    let mut h = open(&path, [1600.0, 7000.0]);
    data_view(&mut h);
    let before = map(&h);
    let offer = analysis::bindings(&before, &compare(&before, &log))[0].clone();
    // The button says what the data would count, not just "from data".
    let button = h.query_all_by_label_contains("Bind “").next().unwrap();
    let label = button.accesskit_node().label().unwrap().to_string();
    assert!(label.starts_with(&format!(
        "Bind “{}” to {}",
        offer.metric_name,
        analysis::measure_name(offer.measure)
    )));
    button.click();
    settle(&mut h);
    let after = map(&h);
    let metric = after
        .touchpoint(offer.touchpoint)
        .unwrap()
        .metrics
        .iter()
        .find(|m| m.id == offer.metric)
        .unwrap();
    assert_eq!(metric.source, MetricSource::Data(offer.measure));
    assert!(
        !analysis::bindings(&after, &compare(&after, &log))
            .iter()
            .any(|b| b.metric == offer.metric)
    );
    // The inspector marks the bound value as the data's: value and source.
    h.get_by_label("Map").click();
    h.run();
    h.get_by_label(&offer.touchpoint_name).click();
    h.run();
    let mark = format!(
        "• Data: {}, from saas.sqlite, 2026-03-02 to 2026-10-27",
        format_number(offer.value, offer.unit)
    );
    h.get_by_label(&mark);
    undo(&mut h);
    assert_eq!(map(&h), before);
}

#[test]
fn without_cost_data_cost_per_conversion_is_a_dash() {
    let (path, log) = sample("fix-cost");
    let mut h = open(&path, [1600.0, 7000.0]);
    data_view(&mut h);
    let c = compare(&map(&h), &log);
    // The sample's events carry cost only for the paid channels.
    let unpaid = c
        .touchpoints
        .iter()
        .find(|t| t.conversions > 0 && t.cost == 0.0)
        .unwrap();
    assert_eq!(unpaid.cost_per_conversion, None);
    let dashes = h.query_all_by_label("–").count();
    h.get_by_label("Reach per touchpoint").click();
    h.run();
    // One dash per unknown conversion rate and per unknown cost per conversion.
    let unknown = c.touchpoints.iter().filter(|t| t.conversion_rate.is_none()).count()
        + c.touchpoints.iter().filter(|t| t.cost_per_conversion.is_none()).count();
    assert_eq!(h.query_all_by_label("–").count() - dashes, unknown);
    assert!(
        h.query_by_label_contains("USD 0.00").is_none(),
        "no cost is not a cost of zero"
    );
}

#[test]
fn canvas_badges_say_not_measured_and_offer_the_missing_link() {
    let (path, log) = sample("fix-canvas");
    // Wide enough for the whole map drawn in full, with its data.
    let mut h = open(&path, [8000.0, 4000.0]);
    for _ in 0..300 {
        h.step();
        if h.query_all_by_label("not measured").next().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run();
    assert_eq!(h.state().canvas_view().0, journeymap::layout::Form::Full);
    let before = map(&h);
    let unmeasured = before.touchpoints.iter().find(|t| t.matchers.is_empty()).unwrap();
    let badges: Vec<_> = h.query_all_by_label("not measured").collect();
    assert!(!badges.is_empty(), "a touchpoint without matchers is not measured");
    let card = h.get_by_label(&unmeasured.name).rect();
    assert!(
        badges.iter().any(|b| card.x_range().contains(b.rect().center().x)),
        "the badge sits on {}",
        unmeasured.name
    );
    // Every touchpoint with matchers the data never meets is "nobody meets
    // this"; none without matchers is.
    let unmet = compare(&before, &log)
        .unmet_touchpoints
        .iter()
        .filter(|id| !before.touchpoint(**id).unwrap().matchers.is_empty())
        .count();
    assert!(unmet > 0);
    assert_eq!(h.query_all_by_label("nobody meets this").count(), unmet);
    assert_eq!(
        h.query_all_by_label("not measured").count(),
        before.touchpoints.iter().filter(|t| t.matchers.is_empty()).count()
    );

    // A dashed path's count badge: right-click, Add link.
    let c = compare(&before, &log);
    let badge = c
        .missing_links
        .iter()
        .find_map(|t| {
            let title = format!("{} → {}: taken {} times", t.from_name, t.to_name, t.count);
            h.query_by_label(&title).map(|n| (t.clone(), n.rect()))
        })
        .expect("a missing link's badge on screen");
    let (t, _) = badge;
    let title = format!("{} → {}: taken {} times", t.from_name, t.to_name, t.count);
    h.get_by_label(&title).click_secondary();
    h.run();
    h.get_by_label("Add link").click();
    h.run();
    let after = map(&h);
    assert!(after.links.iter().any(|l| (l.from, l.to) == (t.from, t.to)));
    undo(&mut h);
    assert_eq!(map(&h), before);
}

#[test]
fn the_link_kept_as_expected_is_saved_and_read_back() {
    let (path, _) = sample("fix-format");
    let mut m = format::load(&path).unwrap();
    m.links[0].expected = true;
    format::save(&m, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("expected: true").count(), 1, "only the kept link says so");
    assert!(format::load(&path).unwrap().links[0].expected);
}

#[test]
fn the_maps_currency_is_set_to_the_imported_moneys_in_one_step() {
    let (path, _) = sample("fix-currency");
    // A shop's orders with revenue in złoty, beside the sample events.
    let orders = path.with_file_name("orders.csv");
    std::fs::write(
        &orders,
        "person_id;timestamp;event;revenue\nu1;2026-04-02T10:00:00Z;purchase;1 200,00 zł\n",
    )
    .unwrap();
    let mut db = journeymap::store::Database::open(&path.with_extension("sqlite")).unwrap();
    journeymap::store::import_csv(
        &mut db,
        &orders,
        &journeymap::store::ImportOptions::default(),
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap();
    drop(db);
    let mut h = open(&path, [1600.0, 7000.0]);
    data_view(&mut h);
    let before = map(&h);
    assert_eq!(before.currency, "USD");
    h.get_by_label_contains("The imported money is in PLN (orders.csv), but the map's currency is USD");
    h.get_by_label("Use PLN for the map").click();
    settle(&mut h);
    assert_eq!(map(&h).currency, "PLN");
    h.get_by_label("Money in PLN, as the map");
    assert!(h.query_by_label("Use PLN for the map").is_none(), "the fix is done");
    undo(&mut h);
    assert_eq!(map(&h), before, "one undo gives the map its currency back");
    h.get_by_label("Use PLN for the map");
}
